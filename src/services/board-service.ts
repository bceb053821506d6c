// The supervisors' live board: reads presence, live calls and today's figures, and keeps the
// supervisors who watch it (`board.watch`) up to date — recomputed when a call or a socket
// changes, at most a few times a second, and every few seconds for what another instance saw
// (sockets there, the clock); sent only when it differs from what was last sent.
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { BoardQueries } from '../db/board-queries';
import type { CallFigures } from '../db/call-figures';
import type { PresenceStore } from '../db/presence';
import type { Hub } from '../realtime/hub';
import { boardMessage } from '../realtime/messages';
import { BOARD_TOPIC } from '../realtime/ws-route';
import { agentPresences, waitingCallers } from '../supervision/presence';
import type { Board } from '../wire/board';
import type { AgentDirectory } from './agent-directory';
import type { SurgeWatch } from './surge-watch';

/** A configured PBX's connection, as health reports it. */
export interface PbxConnection {
  id: string;
  connected: boolean;
  lastEventAt: string | null;
}

export interface BoardServiceOptions {
  queries: BoardQueries;
  /** Every configured PBX, in the configuration's order. */
  pbx: () => PbxConnection[];
  presence: PresenceStore;
  directory: AgentDirectory;
  hub: Hub;
  /** This process: its sockets' presence rows carry it. */
  instanceId: string;
  timezone: string;
  surges: SurgeWatch;
  logger: Logger;
  /** Changes coalesce into one recompute per this many ms. */
  coalesceMs?: number;
  /** While watched, the board is recomputed at least this often. */
  refreshMs?: number;
  /** This instance's presence rows are refreshed this often (they age out without it). */
  heartbeatMs?: number;
  now?: () => Date;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
/** A PBX without support-line calls today. */
const NO_CALLS: CallFigures = { calls: 0, answered: 0, missed: 0, abandoned: 0, shortAbandoned: 0, serviceLevel: null, asaSeconds: null, ahtSeconds: null };

export class BoardService {
  private scheduled: NodeJS.Timeout | null = null;
  private refresh: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastSent = '';
  private computing: Promise<void> | null = null;
  private again = false;
  /** Presence writes in order, so an open and a close of the same agent never swap. */
  private writes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: BoardServiceOptions) {
    o.hub.onPresence((agentId, online) => {
      const at = this.now();
      this.write(() => (online ? o.presence.online(o.instanceId, agentId, at) : o.presence.offline(o.instanceId, agentId)));
    });
    o.hub.onPublish((m) => {
      // A PBX lost or found (here or on the instance reading it) shows on the board too.
      if (m.type.startsWith('call.') || m.type === 'pbx.status') this.changed();
    });
  }

  start(): void {
    this.refresh = setInterval(() => this.o.hub.watcherCount(BOARD_TOPIC) > 0 && this.changed(), this.o.refreshMs ?? 3000);
    this.heartbeat = setInterval(() => this.write(() => this.o.presence.refresh(this.o.instanceId)), this.o.heartbeatMs ?? 30_000);
    this.refresh.unref();
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.scheduled, this.refresh, this.heartbeat]) if (t) clearTimeout(t);
    await this.writes;
    await this.computing;
    await this.o.presence.clear(this.o.instanceId).catch(() => undefined);
  }

  /** Presence writes done (tests, shutdown). */
  settled(): Promise<void> {
    return this.writes;
  }

  async board(): Promise<Board> {
    const now = this.now();
    const dayStart = DateTime.fromJSDate(now, { zone: this.o.timezone }).startOf('day');
    const day = [dayStart.toJSDate(), dayStart.plus({ days: 1 }).toJSDate()] as const;
    const [liveCalls, online, pauses, figures, pbxFigures, callbacks, customers, surge] = await Promise.all([
      this.o.queries.liveCalls(),
      this.o.presence.onlineAgents(),
      this.o.presence.pauses(),
      this.o.queries.figures(...day),
      this.o.queries.figuresByPbx(...day),
      this.o.queries.callbacks(now),
      this.o.queries.customersWaiting(),
      this.o.surges.current(now),
    ]);
    const agents = this.o.directory
      .all()
      .filter((a) => a.role === 'agent' || a.extension !== null)
      .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
    const pbxOf = new Map(liveCalls.map((c) => [c.id, c.pbx]));
    const waiting = waitingCallers(liveCalls).map((w) => ({ ...w, since: w.since.toISOString(), pbx: pbxOf.get(w.callId)! }));
    return {
      agents: agentPresences({ agents, online, liveCalls, pauses }).map((a) => ({ ...a, since: iso(a.since), callPbx: (a.callId && pbxOf.get(a.callId)) ?? null })),
      waiting,
      today: {
        ...figures,
        callbacksDue: callbacks.due,
        callbacksOverdue: callbacks.overdue,
        customersWaiting: customers.count,
        customersWaitingSince: iso(customers.since),
      },
      pbx: this.o.pbx().map(({ id, connected, lastEventAt }) => ({
        id,
        connected,
        lastEventAt,
        liveCalls: liveCalls.filter((c) => c.pbx === id).length,
        waiting: waiting.filter((w) => w.pbx === id).length,
        today: pbxFigures.get(id) ?? NO_CALLS,
      })),
      surge: surge && { since: surge.since.toISOString(), calls: surge.calls, numbers: surge.numbers, callIds: surge.callIds },
      at: now.toISOString(),
    };
  }

  /** The PBX paused or unpaused a queue member (stored in order; the board follows). */
  queuePause(p: { pbx: string; extension: string; queue: string; paused: boolean; reason: string | null; at: Date }): void {
    this.write(() => this.o.presence.setPause(p));
  }

  /** The PBX's full list of pauses after a (re)connect. */
  queuePauses(pbx: string, pauses: { extension: string; queue: string; reason: string | null }[], at: Date): void {
    this.write(() => this.o.presence.replacePauses(pbx, pauses, at));
  }

  /** A socket asked for the board: it gets the current one now. */
  async sendTo(send: (text: string) => void): Promise<void> {
    send(JSON.stringify(boardMessage(await this.board())));
  }

  /** Something on the board may have changed: recompute soon (once for a burst of changes). */
  changed(): void {
    if (this.stopped || this.scheduled || this.o.hub.watcherCount(BOARD_TOPIC) === 0) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      void this.recompute();
    }, this.o.coalesceMs ?? 250);
  }

  private async recompute(): Promise<void> {
    if (this.computing) {
      this.again = true;
      return;
    }
    this.computing = (async () => {
      try {
        const board = await this.board();
        // `at` changes every time; what the supervisors see changes only with the rest.
        const text = JSON.stringify({ ...board, at: '' });
        if (text === this.lastSent) return;
        this.lastSent = text;
        this.o.hub.publish({ topic: BOARD_TOPIC }, boardMessage(board));
      } catch (err) {
        this.o.logger.warn({ err }, 'the board could not be computed');
      }
    })();
    await this.computing;
    this.computing = null;
    if (this.again) {
      this.again = false;
      this.changed();
    }
  }

  private write(op: () => Promise<void>): void {
    this.writes = this.writes.then(op).catch((err) => this.o.logger.warn({ err }, 'presence could not be stored'));
    void this.writes.then(() => this.changed());
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }
}
