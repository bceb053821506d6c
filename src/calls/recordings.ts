// What the PBX recorded of a call: MixMonitor recordings (the file is named on the channel just
// before the recording starts) and voicemail the caller left. Pure, like evolve.ts.
import { emitCall, MAX_RECORDINGS, type CallState, type ChannelState } from './call-state';
import type { CallFact, Recording } from './model';

/** The file the channel's next recording goes to (MixMonitor names it before it starts). */
export function recordingNamed(ch: ChannelState | undefined, file: string): void {
  if (ch !== undefined) ch.recordingFile = file;
}

/** MixMonitor started on the channel: a recording of the call, in the file named just before. */
export function recordingStarted(s: CallState, ch: ChannelState | undefined, at: Date, out: CallFact[]): void {
  const file = ch?.recordingFile;
  if (ch === undefined || file === undefined) return; // no file named: nothing anyone could play
  delete ch.recordingFile;
  add(s, { kind: 'recording', file, startedAt: at }, out);
}

/** The caller left a voicemail, saved as `file`. */
export function voicemailSaved(s: CallState, file: string, at: Date, out: CallFact[]): void {
  add(s, { kind: 'voicemail', file, startedAt: at }, out);
}

/** The PBX says which mailbox got the message: it goes to the call's latest voicemail that has none. */
export function mailboxNotified(s: CallState, mailbox: string, out: CallFact[]): void {
  const list = s.call.recordings;
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i];
    if (r.kind !== 'voicemail') continue;
    if (r.mailbox !== undefined) return;
    // A new object: facts already emitted share the old one.
    list[i] = { ...r, mailbox };
    emitCall(out, 'call.updated', s);
    return;
  }
}

function add(s: CallState, r: Recording, out: CallFact[]): void {
  const list = s.call.recordings;
  if (list.length >= MAX_RECORDINGS || list.some((x) => x.kind === r.kind && x.file === r.file)) return;
  list.push(r);
  emitCall(out, 'call.updated', s);
}
