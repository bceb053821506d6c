// Queue members' pauses as the PBX reports them (QueueMemberPause when a member is paused or
// unpaused; QueueMemberStatus and QueueMemberAdded carry the same `Paused` flag; QueueMemberRemoved
// ends any pause in that queue). The live board shows a paused agent with the pause's reason.
import type { RawAmiMessage, RawAmiValue } from './raw';

export interface QueueMemberPause {
  kind: 'QueueMemberPause';
  queue: string;
  /** The member's interface (`PJSIP/101`, `SIP/102`, `Local/103@from-queue/n`). */
  iface: string;
  paused: boolean;
  reason: string | null;
}

export const QUEUE_MEMBER_EVENT_NAMES: ReadonlySet<string> = new Set(['QueueMemberPause', 'QueueMemberStatus', 'QueueMemberAdded', 'QueueMemberRemoved']);

const text = (v: RawAmiValue | undefined): string | null => {
  const s = typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
  return s === null || s === '' || s === '<unknown>' ? null : (' ' + s).slice(1);
};

/** A member's pause state from one of the queue member events, or why it cannot be read. */
export function parseQueueMemberEvent(raw: RawAmiMessage): QueueMemberPause | { kind: 'invalid'; event: string; reason: string } {
  const event = text(raw.event) ?? '';
  const queue = text(raw.queue);
  // `Interface` since Asterisk 12; `Location` before it.
  const iface = text(raw.interface) ?? text(raw.location);
  if (queue === null) return { kind: 'invalid', event, reason: 'missing queue' };
  if (iface === null) return { kind: 'invalid', event, reason: 'missing interface' };
  const paused = event !== 'QueueMemberRemoved' && text(raw.paused) === '1';
  // `PausedReason` since Asterisk 13 (`Reason` before it, on QueueMemberPause).
  const reason = paused ? (text(raw.pausedreason) ?? text(raw.reason)) : null;
  return { kind: 'QueueMemberPause', queue, iface, paused, reason };
}
