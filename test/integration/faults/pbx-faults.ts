// Replays overlapping synthesised calls from a real TCP AMI peer into the real service while a
// fault function breaks the connection now and then, and records what the PBX showed the service:
// which calls had an event delivered, which were live at each reconnect, when the link was down.
import type { AmiPeer } from '../../helpers/ami-peer';
import { synthesizeCalls, synthesizedCallInfo, type SynthFrame } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

/** Events the call model acts on: a call shown by one of these was shown to the service. */
const CALL_EVENTS = new Set([
  'Newchannel',
  'Newstate',
  'NewCallerid',
  'Rename',
  'HangupRequest',
  'SoftHangupRequest',
  'Hangup',
  'BridgeEnter',
  'DialBegin',
  'DialEnd',
  'BlindTransfer',
  'AttendedTransfer',
  'QueueCallerJoin',
  'QueueCallerAbandon',
  'AgentConnect',
  'AgentRingNoAnswer',
]);

export interface CallSeen {
  linkedid: string;
  /** Its first frame (the trunk's Newchannel) reached the service. */
  startSeen: boolean;
  /** Its last Hangup reached the service. */
  endSeen: boolean;
  /** Some call event of it reached the service. */
  shown: boolean;
  /** Every frame of it reached the service. */
  allSeen: boolean;
  /** Its last Hangup has been replayed (whether or not the service got it). */
  ended: boolean;
  /** Wall time of its first and last frame. */
  firstAt: number;
  lastAt: number;
}

export interface Observation {
  calls: Map<string, CallSeen>;
  /** Linkedids the peer listed as live when the service asked after a (re)connect. */
  liveAtReconnect: Set<string>;
  /**
   * Linkedids whose first channel the peer's `Status` answer listed (with its DNID, the number
   * dialled). With the call's first `Newchannel` it is how the service can learn the number.
   */
  firstListed: Set<string>;
  /** When the service could not see the PBX: [link lost, next login]. */
  outages: Array<[number, number]>;
  /** Every linkedid synthesised. */
  all: string[];
}

function eventOf(data: string): string {
  return data.startsWith('Event: ') ? data.slice(7, data.indexOf('\r')) : '';
}

/**
 * Starts replaying `count` calls (real time: S10's pace) and records what was delivered; resolves
 * once the replay has ended. Frames are flushed one by one at a numeric speed, so `framesSent`
 * moving across a yield says whether that frame reached the client.
 */
export async function replayObserved(
  peer: AmiPeer,
  o: {
    count: number;
    intervalMs: number;
    seed: number;
    speed?: number;
    /** Epoch seconds of the uniqueids (default now): two PBXs given the same one reuse each other's linkedids. */
    startEpochSec?: number;
    /** Called before frame `index` is sent; the replay waits for what it returns (to hold the PBX mid-calls). */
    before?: (index: number, total: number) => Promise<void> | void;
  },
  obs: Observation,
): Promise<void> {
  // One start time for every pass over the plan (uniqueids are `<epoch>.<counter>`).
  const opts = { count: o.count, intervalMs: o.intervalMs, seed: o.seed, startEpochSec: o.startEpochSec ?? Math.floor(Date.now() / 1000) };
  for (const c of synthesizedCallInfo(opts)) obs.all.push(c.linkedid);
  // The last Hangup of each call, to know whether its end was seen.
  const lastHangup = new Map<string, number>();
  let i = 0;
  for (const f of synthesizeCalls(opts)) {
    if (eventOf(f.data) === 'Hangup') lastHangup.set(f.linkedid, i);
    i++;
  }
  let index = 0;
  // Time held at a gate moves the rest of the plan later: a held PBX resumes at its pace instead of
  // rushing through what it would have sent meanwhile (which would end every live call at once).
  const speed = o.speed ?? 1;
  let heldMs = 0;
  async function* observed(): AsyncGenerator<SynthFrame> {
    for (const f of synthesizeCalls(opts)) {
      if (o.before) {
        const holdStart = performance.now();
        await o.before(index, i);
        const held = performance.now() - holdStart;
        if (held > 1) heldMs += held;
      }
      const before = peer.framesSent;
      yield { ...f, t: f.t + heldMs * speed };
      const delivered = peer.framesSent > before;
      const now = Date.now();
      let c = obs.calls.get(f.linkedid);
      if (!c) {
        c = { linkedid: f.linkedid, startSeen: delivered, endSeen: false, shown: false, allSeen: true, ended: false, firstAt: now, lastAt: now };
        obs.calls.set(f.linkedid, c);
      }
      c.lastAt = now;
      if (!delivered) c.allSeen = false;
      if (delivered && CALL_EVENTS.has(eventOf(f.data))) c.shown = true;
      if (lastHangup.get(f.linkedid) === index) {
        c.endSeen = delivered;
        c.ended = true;
      }
      index++;
    }
  }
  await peer.replay(observed(), { speed });
}

// Faults are placed by the replay's progress, not by the clock: the same calls are hit however
// fast a loaded machine runs the replay.

/** Resolves once `n` calls of the replay have begun (their first frame sent or not). */
export function callsBegun(obs: Observation, n: number): Promise<unknown> {
  return waitFor(`${n} calls to begin`, () => obs.calls.size >= n, 60_000);
}

/** Resolves once a call that began at or after `since` has ended on the PBX. */
export function aCallBegunAndEndedSince(obs: Observation, since: number): Promise<unknown> {
  return waitFor('a call to begin and end', () => [...obs.calls.values()].some((c) => c.firstAt >= since && c.ended), 60_000);
}

/** Records the peer's live calls whenever the service asks for them, and the outages. */
export function observe(peer: AmiPeer): Observation {
  const obs: Observation = { calls: new Map(), liveAtReconnect: new Set(), firstListed: new Set(), outages: [], all: [] };
  peer.on('action', (name: string) => {
    if (name === 'coreshowchannels') for (const ch of peer.liveChannels()) obs.liveAtReconnect.add(ch.linkedid);
    if (name === 'status') for (const ch of peer.liveChannels()) if (ch.uniqueid === ch.linkedid) obs.firstListed.add(ch.linkedid);
  });
  let lostAt: number | null = null;
  peer.on('disconnect', () => {
    lostAt ??= Date.now();
  });
  peer.on('login', () => {
    if (lostAt !== null) obs.outages.push([lostAt, Date.now()]);
    lostAt = null;
  });
  return obs;
}

/** Stored calls (of one PBX, when given), with how many drafts each has. */
export async function storedCalls(db: { query(sql: string, params?: unknown[]): Promise<any> }, pbx?: string) {
  return db.query(
    `SELECT c.pbx, c.linkedid, c.gap, c.outcome, c.ended_at, c.support_line,
            (SELECT count(*)::int FROM ticket t WHERE t.origin_call_id = c.id) AS drafts
       FROM call c WHERE $1::text IS NULL OR c.pbx = $1`,
    [pbx ?? null],
  ) as Promise<StoredCall[]>;
}

export interface StoredCall {
  pbx: string;
  linkedid: string;
  gap: boolean;
  outcome: string | null;
  ended_at: Date | null;
  support_line: boolean;
  drafts: number;
}

/** What a fault did to one PBX's calls: offered (replayed), shown to the service, stored, lost, doubled, made up. */
export interface Tally {
  offered: number;
  shown: number;
  stored: number;
  /** Shown (by an event or as live at a reconnect) but not stored. */
  lost: string[];
  /** Stored more than once, or with other than one draft (support calls). */
  doubled: string[];
  /** Stored but never replayed. */
  madeUp: string[];
}

export function tally(obs: Observation, stored: StoredCall[]): Tally {
  const shown = new Set([...[...obs.calls.values()].filter((c) => c.shown).map((c) => c.linkedid), ...obs.liveAtReconnect]);
  const count = new Map<string, number>();
  for (const c of stored) count.set(c.linkedid, (count.get(c.linkedid) ?? 0) + 1);
  const all = new Set(obs.all);
  return {
    offered: obs.all.length,
    shown: shown.size,
    stored: count.size,
    lost: [...shown].filter((id) => !count.has(id)),
    doubled: [...new Set([...stored.filter((c) => count.get(c.linkedid)! > 1 || (c.support_line && c.drafts !== 1)).map((c) => c.linkedid)])],
    madeUp: [...count.keys()].filter((id) => !all.has(id)),
  };
}

/**
 * What a service that started at `since` (a restart) must have stored: every call listed live when
 * it asked (`listed`), and every call begun since whose every frame it was sent on a connection
 * that stayed up — with a margin before each drop, for frames that died unread in its buffers.
 */
export function mustKeepSince(obs: Observation, since: number, listed: ReadonlySet<string>, dropMarginMs = 10_000): Set<string> {
  const keep = new Set(listed);
  for (const c of obs.calls.values()) {
    if (c.firstAt < since || !c.allSeen || !c.shown) continue;
    if (obs.outages.some(([lost, back]) => back >= since && c.firstAt <= back && c.lastAt >= lost - dropMarginMs)) continue;
    keep.add(c.linkedid);
  }
  return keep;
}

/** A point of the replay the test waits for (`reached`), held there until the test opens it. */
export interface Gate {
  reached: Promise<void>;
  reach(): void;
  open(): void;
  opened: Promise<void>;
}

export function gate(): Gate {
  let reach!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const opened = new Promise<void>((r) => (open = r));
  return { reached, reach, open, opened };
}

/** Gates at fractions of a replay's frames (for replayObserved's `before`): the replay holds at each until the test opens it. */
export function gatesAt(...fractions: number[]): { gates: Gate[]; before: (index: number, total: number) => Promise<void> } {
  const gates = fractions.map(() => gate());
  const before = async (i: number, total: number) => {
    for (const [k, f] of fractions.entries()) {
      if (i !== Math.floor(total * f)) continue;
      gates[k].reach();
      await gates[k].opened;
    }
  };
  return { gates, before };
}
