// One PBX: its AMI connection, its call model and the shared pipeline, wired together.
// AMI bytes → typed events → call facts → durable rows → pushes.
import type { Logger } from 'pino';
import { AmiConnection } from '../ami/client';
import { AMI_EVENT_NAMES, AMI_VARSET_VARIABLES, parseAmiEvent } from '../ami/events';
import { QUEUE_MEMBER_EVENT_NAMES, parseQueueMemberEvent, type QueueMemberPause } from '../ami/queue-member-events';
import { ChannelClassifier } from '../calls/channels';
import type { RawAmiMessage } from '../ami/raw';
import type { LiveChannel } from '../ami/live-channel';
import { listedChannels } from '../ami/listed-channels';
import { CallTracker } from '../calls/tracker';
import type { PbxConfig } from '../config/config';
import type { Metrics } from '../metrics';
import type { IngestPipeline } from './pipeline';
import { newLiveCall, type LiveCall } from './live-call';
import type { CallStore } from '../db/call-store';
import { rowToCall } from './call-rows';
import { PbxLease } from './pbx-lease';
import type { PbxFences } from '../db/pbx-lock';
import { listedCall } from '../ami/live-snapshot';

/** What is read from the PBX: the call model's events and the queue members' pauses. */
const INGESTED_EVENTS: ReadonlySet<string> = new Set([...AMI_EVENT_NAMES, ...QUEUE_MEMBER_EVENT_NAMES]);

export interface PbxIngestOptions {
  pbx: PbxConfig;
  supportNumbers: string[];
  isAfterHours: (at: Date) => boolean;
  /** Whether calls from this E.164 number starting at `at` are blocked (services/blocked-numbers.ts). */
  isBlocked?: (e164: string, at: Date) => boolean;
  pipeline: IngestPipeline;
  store: CallStore;
  metrics: Metrics;
  logger: Logger;
  onStatus: () => void;
  /** With several instances on one database, only the lease holder ingests this PBX. */
  databaseUrl: string;
  /** Where the lease keeps its fencing token for the call batches (db/pbx-lock.ts). */
  fences?: PbxFences;
  /** A queue member paused or unpaused (by extension; members that are no agent's phone are not told). */
  onPause?: (p: { pbx: string; extension: string; queue: string; paused: boolean; reason: string | null; at: Date }) => void;
  /** After each (re)connect: every queue member's pause as the PBX lists it (QueueStatus), replacing what was known. */
  onPauseSnapshot?: (pbx: string, pauses: { extension: string; queue: string; reason: string | null }[], at: Date) => void;
  /** How often live calls are checked against the PBX (a lost hang-up event); default 60 s, 0 = never. */
  liveCheckMs?: number;
}

export class PbxIngest {
  readonly id: string;
  tracker: CallTracker<LiveCall>;
  private connection: AmiConnection | null = null;
  private readonly lease: PbxLease;
  private readonly log: Logger;
  private connected = false;
  private lastEventAt: Date | null = null;
  private invalidLogged = 0;
  private paused = false;
  private liveCheck: NodeJS.Timeout | null = null;
  /** Calls missing from the PBX's list at the previous check. */
  private missing = new Set<string>();
  /** Each queue member's last pause state told (`extension\0queue` → state). */
  private readonly memberStates = new Map<string, string>();
  /** Queue member interfaces → agent extensions. */
  private readonly members: ChannelClassifier;

  constructor(private readonly o: PbxIngestOptions) {
    this.id = o.pbx.id;
    this.members = new ChannelClassifier({ trunks: o.pbx.trunks, trunkDids: o.pbx.trunkDids });
    this.log = o.logger.child({ module: 'ami', pbx: this.id });
    this.tracker = this.newTracker();
    this.lease = new PbxLease(this.id, o.databaseUrl, { acquired: () => this.ingest(), lost: () => this.standBy() }, this.log, undefined, undefined, o.fences);
  }

  private newTracker(): CallTracker<LiveCall> {
    const o = this.o;
    return new CallTracker<LiveCall>({
      pbx: this.id,
      supportNumbers: o.pbx.supportNumbers ?? o.supportNumbers,
      trunkDids: o.pbx.trunkDids,
      trunks: o.pbx.trunks,
      isAfterHours: o.isAfterHours,
      isBlocked: o.isBlocked,
    }, newLiveCall);
  }

  private newConnection(): AmiConnection {
    const o = this.o;
    const log = this.log;
    const events = o.metrics.amiEvents.labels(this.id);
    const invalid = o.metrics.amiInvalid.labels(this.id);
    return new AmiConnection({
      id: this.id,
      host: o.pbx.host,
      port: o.pbx.port,
      username: o.pbx.username,
      secret: o.pbx.secret ?? '',
      // The connection adds its own `{module, pbx}` child.
      logger: o.logger,
      onEvent: (raw: RawAmiMessage, at: Date) => {
        events.inc();
        this.lastEventAt = at;
        if (typeof raw.event === 'string' && QUEUE_MEMBER_EVENT_NAMES.has(raw.event)) return this.queueMember(parseQueueMemberEvent(raw), at);
        const ev = parseAmiEvent(raw);
        if (ev.kind === 'ignored') return;
        if (ev.kind === 'invalid') {
          invalid.inc();
          // Logged, skipped, connection kept; the log is bounded so a flood of garbage cannot fill the disk.
          if (this.invalidLogged++ < 100) log.warn({ reason: ev.reason }, 'malformed AMI event skipped');
          return;
        }
        o.pipeline.accept(this.tracker.apply(ev, at));
      },
      // Events the call model does not use are counted, not parsed.
      events: INGESTED_EVENTS,
      // VarSet is 60 % of a PBX's traffic: only the recordings' file names get through.
      variables: AMI_VARSET_VARIABLES,
      onSkipped: (count: number, at: Date) => {
        events.inc(count);
        this.lastEventAt = at;
      },
      onConnected: (live: LiveChannel[], at: Date) => {
        this.connected = true;
        o.metrics.amiReconnects.labels(this.id).inc();
        o.metrics.pbxConnected.labels(this.id).set(1);
        o.pipeline.accept(this.tracker.reconcile(listedChannels(live), at));
        log.info({ live: live.length }, 'PBX connected and reconciled');
        // Pauses changed while we were away: ask (not awaited: events flow meanwhile).
        void this.resyncPauses();
        o.onStatus();
      },
      onDisconnected: (at: Date, reason: string) => {
        if (this.connected) log.warn({ reason }, 'PBX connection lost');
        this.connected = false;
        o.metrics.pbxConnected.labels(this.id).set(0);
        this.tracker.markGap(at);
        o.onStatus();
      },
    });
  }

  private queueMember(ev: QueueMemberPause | { kind: 'invalid'; reason: string }, at: Date): void {
    if (ev.kind === 'invalid') {
      this.o.metrics.amiInvalid.labels(this.id).inc();
      if (this.invalidLogged++ < 100) this.log.warn({ reason: ev.reason }, 'malformed AMI queue member event skipped');
      return;
    }
    const extension = this.members.agentOfInterface(ev.iface);
    if (!extension) return;
    // A member's status comes with every change of their phone's state: only a change of the pause is news.
    const key = `${extension}\u0000${ev.queue}`;
    const state = ev.paused ? `paused:${ev.reason ?? ''}` : 'unpaused';
    if (this.memberStates.get(key) === state) return;
    this.memberStates.set(key, state);
    this.o.onPause?.({ pbx: this.id, extension, queue: ev.queue, paused: ev.paused, reason: ev.reason, at });
  }

  /** Every queue member's pause as the PBX lists it now; a PBX that refuses QueueStatus keeps pauses following events only. */
  private async resyncPauses(): Promise<void> {
    const conn = this.connection;
    if (!conn || !this.o.onPauseSnapshot) return;
    let items: RawAmiMessage[];
    try {
      items = (await conn.actionList({ Action: 'QueueStatus' })).events;
    } catch (err) {
      this.log.info({ err: (err as Error).message }, 'the PBX did not list its queue members: pauses follow its events only');
      return;
    }
    const pauses: { extension: string; queue: string; reason: string | null }[] = [];
    this.memberStates.clear();
    for (const item of items) {
      if (item.event !== 'QueueMember') continue;
      const ev = parseQueueMemberEvent(item);
      const extension = ev.kind === 'invalid' ? null : this.members.agentOfInterface(ev.iface);
      if (ev.kind === 'invalid' || !extension) continue;
      this.memberStates.set(`${extension}\u0000${ev.queue}`, ev.paused ? `paused:${ev.reason ?? ''}` : 'unpaused');
      if (ev.paused) pauses.push({ extension, queue: ev.queue, reason: ev.reason });
    }
    this.o.onPauseSnapshot(this.id, pauses, new Date());
  }

  /** Competes for this PBX's lease; the holder ingests it. */
  async start(): Promise<void> {
    this.lease.start();
  }

  /** We hold the lease: calls the database still has as live (a restart, a take-over) go back into the model, then connect. */
  private async ingest(): Promise<void> {
    this.tracker = this.newTracker();
    const rows = await this.o.store.liveCalls(this.id);
    if (rows.length > 0) this.tracker.restore(rows.map(rowToCall));
    this.connection = this.newConnection();
    this.connection.start();
    if (this.paused) this.connection.pause();
    const every = this.o.liveCheckMs ?? 60_000;
    if (every > 0) {
      this.liveCheck = setInterval(() => void this.checkLive().catch((err) => this.log.warn({ err: (err as Error).message }, 'live-call check failed')), every);
      this.liveCheck.unref();
    }
  }

  /**
   * A call we think live that the PBX has not listed at two checks in a row lost its hang-up
   * event: it is closed, never left ringing for ever. Two checks, because a call that starts
   * while the list is being answered is known to us but not yet listed.
   */
  async checkLive(): Promise<void> {
    const c = this.connection;
    if (!c || !this.connected || this.paused) return;
    // Only the calls listed are kept, item by item: at a thousand live calls the two lists are
    // thousands of channels, 60–80 MB of parsed messages had they been gathered first.
    const listed = new Set<string>();
    const note = (item: RawAmiMessage) => {
      const call = listedCall(item);
      if (call !== null) listed.add(call);
    };
    await Promise.all([c.actionEach({ action: 'CoreShowChannels' }, note), c.actionEach({ action: 'Status' }, note)]);
    const missing = new Set<string>();
    for (const call of this.tracker.liveCalls()) if (!listed.has(call.linkedid)) missing.add(call.linkedid);
    const gone = [...missing].filter((id) => this.missing.has(id));
    this.missing = new Set([...missing].filter((id) => !this.missing.has(id)));
    if (gone.length > 0) {
      this.log.warn({ calls: gone.length }, 'calls the PBX no longer has, their end unseen: closed');
      this.o.pipeline.accept(this.tracker.expire(gone, new Date()));
    }
  }

  /** The lease is gone (stopping, or the database connection broke): stop reading the PBX. */
  private async standBy(): Promise<void> {
    if (this.liveCheck) clearInterval(this.liveCheck);
    this.liveCheck = null;
    const c = this.connection;
    this.connection = null;
    await c?.stop();
  }

  get ingesting(): boolean {
    return this.lease.isHeld;
  }

  pause(): void {
    this.paused = true;
    this.connection?.pause();
  }

  resume(): void {
    this.paused = false;
    this.connection?.resume();
  }

  async stop(): Promise<void> {
    await this.lease.stop();
    await this.standBy();
  }

  status() {
    return { id: this.id, connected: this.connected, lastEventAt: this.lastEventAt?.toISOString() ?? null, ingesting: this.ingesting };
  }

  liveCount(): number {
    return this.tracker.size;
  }
}
