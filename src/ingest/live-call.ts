// What the ingest keeps per live call beyond the call model's own state: the call's stored id,
// its draft request and its caller's history, and where its pushes stand. The call model keeps it
// with the call (the tracker's `attach`) and hands it back in every fact: there is one map of live
// calls, the tracker's; a LiveCall lives as long as the pushes and batches that refer to it.
import { randomUUID } from 'node:crypto';
import type { Call } from '../calls/model';
import type { CallerInfo } from '../db/caller-lookup';
import type { TicketRow } from '../db/rows';

export interface LiveCall {
  id: string;
  ticket: TicketRow | null;
  /** The caller's history, once read (support-line calls). */
  caller: CallerInfo | null;
  /** The caller's history has been asked for. */
  asked: boolean;
  /** The call's answer has been acted on (the caller it reached is done with their call backs). */
  reached: boolean;
  /** A batch holding the call has been written: its row exists. */
  stored: boolean;
  /** Its pushes not yet sent to this instance's sockets. */
  unsent: number;
  /** The draft lane batch writing its row (draft-lane.ts); 0 when not in the lane. */
  laneSeq: number;
  /**
   * That lane batch writes its draft too. A call goes in the lane without one when it is not known
   * as a support call yet (seen part-way, before the PBX said which number was dialled): learning
   * it is one while the lane writes must still open its draft.
   */
  laneDraft: boolean;
}

/** A call the tracker has just opened: its id is a guess until its first batch says what is stored. */
export function newLiveCall(): LiveCall {
  return { id: randomUUID(), ticket: null, caller: null, asked: false, reached: false, stored: false, unsent: 0, laneSeq: 0, laneDraft: false };
}

// The AMI reader (ami/frame-parser.ts) cuts every value out of the socket chunk it came in (64 KiB at full speed), and
// V8 keeps a whole chunk alive as long as one such slice is: a backlog of facts would hold the
// chunks it was read from (150 MB at 20,000 facts). Copies of the few AMI-made strings a call
// carries cut that tie.
const own = <T extends string | null>(s: T): T => (s === null ? s : ((' ' + s).slice(1) as T));
export function detach(call: Call): Call {
  return {
    ...call,
    linkedid: own(call.linkedid),
    callerNumberRaw: own(call.callerNumberRaw),
    callerName: own(call.callerName),
    queue: own(call.queue),
    hangupCause: own(call.hangupCause),
  };
}
