// The running system under test: the AMI peer, the service child on a fresh database, the agents'
// sockets, and the bookkeeping shared by the phases that stream calls through it (id ranges, what
// must be stored so far, AMI events sent so far).
import pg from 'pg';
import { AmiPeer } from '../../test/helpers/ami-peer';
import { createAgents, type BenchAgent } from './agents';
import { AgentSockets } from './agent-sockets';
import { buildStream, IdRanges, paced, streamTemplates, type PacedChunk, type PaceStats, type StreamSpec } from './call-stream';
import { addExpectations, expectStream, type StreamExpectation } from './expectations';
import { ServiceProcess, type ServiceStats } from './service-process';

export interface RigOptions {
  databaseUrl: string;
  agents: number;
  supervisors: number;
  cpuProfileDir: string | null;
  logLevel: string;
}

export interface StoredCounts {
  calls: number;
  ended: number;
  legs: number;
  drafts: number;
  links: number;
}

export interface FullSpeedResult {
  calls: number;
  events: number;
  /** From the first byte written to everything received, written and pushed. */
  ms: number;
  /** When the peer had written the last byte (ms after the start). */
  peerDoneMs: number;
  serviceCpuMs: number;
  before: ServiceStats;
  after: ServiceStats;
}

export interface PacedResult extends FullSpeedResult {
  /** Ring key → when its ringing event was handed to the peer (performance.now). */
  stamps: Map<string, number>;
  pace: PaceStats;
  expected: StreamExpectation;
}

export class Rig {
  readonly ids = new IdRanges();
  expected: StreamExpectation = { calls: 0, drafts: 0, legs: 0, rings: 0, events: 0 };
  eventsSent = 0;

  private constructor(
    readonly peer: AmiPeer,
    readonly service: ServiceProcess,
    readonly agents: BenchAgent[],
    readonly sockets: AgentSockets,
    readonly db: pg.Pool,
    readonly agentCount: number,
  ) {}

  static async start(o: RigOptions): Promise<Rig> {
    const peer = await AmiPeer.start({ secret: 'bench-secret' });
    const service = await ServiceProcess.start(
      { databaseUrl: o.databaseUrl, amiPort: peer.port, logLevel: o.logLevel, jobs: true },
      { cpuProfileDir: o.cpuProfileDir },
    );
    const agents = await createAgents(o.databaseUrl, o.agents, o.supervisors);
    await service.call('reloadDirectory');
    const sockets = new AgentSockets(service.url);
    await sockets.open(agents);
    await service.call('startIngest');
    await peer.waitForLogin(1);
    await peer.waitForAction('status', 1);
    return new Rig(peer, service, agents, sockets, new pg.Pool({ connectionString: o.databaseUrl, max: 2 }), o.agents);
  }

  spec(count: number, intervalMs: number): StreamSpec {
    return { count, intervalMs, agents: this.agentCount, ...this.ids.next(count) };
  }

  /**
   * Streams the calls as fast as the service reads, and waits until all of it is stored and pushed.
   * The bytes are built before the clock starts, and the peer does not follow their channels (every
   * call of the stream ends within it; were the service to reconnect in mid-stream, the peer would
   * answer its Status with no channels and the calls cut would show as lost, not be recovered).
   */
  async fullSpeed(spec: StreamSpec): Promise<FullSpeedResult> {
    const built = await buildStream(spec);
    const { result } = await this.stream(spec, () => this.peer.replay(built, { speed: 'max', track: false }));
    return result;
  }

  /**
   * Streams the calls in real time (`intervalMs` apart), stamping each ringing event as it is
   * written; `built` is the spec's stream from buildPaced, built before the clock starts.
   */
  async paced(spec: StreamSpec, built: readonly PacedChunk[]): Promise<PacedResult> {
    const stamps = new Map<string, number>();
    const pace: PaceStats = { firstWriteAt: 0, lastWriteAt: 0, frames: 0, maxLagMs: 0, lastCallStartAt: 0 };
    // batchBytes 1: every chunk the pacer yields is written at once, right after its stamp.
    const { result, expected } = await this.stream(spec, () => this.peer.replay(paced(built, stamps, pace), { speed: 'max', batchBytes: 1 }));
    return { ...result, stamps, pace, expected };
  }

  /** Replays the spec's calls with `replay`, then waits until the service has stored and pushed them. */
  private async stream(spec: StreamSpec, replay: () => Promise<unknown>): Promise<{ result: FullSpeedResult; expected: StreamExpectation }> {
    const expected = expectStream(streamTemplates(spec));
    const before = await this.service.stats();
    const startedAt = Date.now();
    await replay();
    const peerDoneMs = Date.now() - startedAt;
    this.eventsSent += expected.events;
    this.expected = addExpectations(this.expected, expected);
    const { doneAt } = await this.service.settle(this.eventsSent);
    const after = await this.service.stats();
    const result: FullSpeedResult = {
      calls: spec.count,
      events: expected.events,
      ms: doneAt - startedAt,
      peerDoneMs,
      serviceCpuMs: after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs,
      before,
      after,
    };
    return { result, expected };
  }

  async stored(): Promise<StoredCounts> {
    const c = (
      await this.db.query(
        `SELECT count(*)::int AS calls, count(*) FILTER (WHERE ended_at IS NOT NULL)::int AS ended,
                coalesce(sum(jsonb_array_length(legs)), 0)::int AS legs FROM call`,
      )
    ).rows[0];
    const t = (
      await this.db.query(
        `SELECT (SELECT count(*) FROM ticket WHERE origin_call_id IS NOT NULL)::int AS drafts, (SELECT count(*) FROM ticket_call)::int AS links`,
      )
    ).rows[0];
    return { ...c, ...t };
  }

  async close(): Promise<void> {
    await this.sockets.closeAll();
    await this.service.close();
    await this.peer.close();
    await this.db.end();
  }
}
