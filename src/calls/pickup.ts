// Call pickup: a phone that was not rung takes a call ringing at a colleague's phone. One rule for
// every form Asterisk reports with `Pickup`: group pickup (*8), directed pickup (Pickup(101@ctx),
// BLF keys), a queue member's ringing phone picked up, a picker that is no agent's phone.
// The picker answered; the phone it took the call from was rung and the call was taken from it.
import { addChannel } from './call';
import type { CallContext, CallState } from './call-state';
import { parseChannelName } from './channels';
import type { ChannelSnapshot } from './events';
import { answerLeg, ensureLeg, finishRinging, openLegOf } from './legs';
import type { CallFact } from './model';

export function pickedUp(
  ctx: CallContext,
  s: CallState,
  picker: ChannelSnapshot,
  target: ChannelSnapshot,
  at: Date,
  out: CallFact[],
): void {
  // Registered without its state: the picker's phone is Up, but it answered by pickup, not by ringing.
  const ch = addChannel(ctx, s, { ...picker, state: 'down' }, at, at, out);
  if (ch.originator) return;
  if (ch.role !== 'agent') {
    // Only a phone can pick up: whatever its name looks like, the leg names its extension.
    ch.role = 'agent';
    ch.extension = ch.extension ?? picker.callerIdNum ?? parseChannelName(picker.channel)?.peer ?? picker.channel;
    ch.trunk = null;
  }
  const tch = s.channels.get(target.uniqueid);
  const targetExt = tch?.extension ?? ctx.classifier.classify(target.channel).extension;
  const taken = tch?.leg ?? (targetExt !== null ? openLegOf(s, targetExt) : null);
  const ls = ensureLeg(s, ch, at, at, out, false);
  if (ls === null) return;
  ls.leg.via = 'pickup';
  answerLeg(s, ls, at, out);
  if (taken !== null && taken !== ls) finishRinging(s, taken, 'taken', at, out);
}
