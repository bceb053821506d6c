// The demo: the real service (start-service.ts) with a built-in PBX, a TCP AMI peer on a free local
// port that replays the recorded real calls pass after pass, and demo agents on the extensions those
// calls ring. Nothing here is a stand-in for the service: it connects, logs and pops up as in production.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { AgentService } from '../services/agent-service';
import { AmiPeer } from '../simulator/ami-peer';
import { startService, type RunningService } from '../start-service';
import { DEMO_ADMIN, DEMO_AGENTS, ensureDemoAgents, type DemoAgent, type EnsuredAgent } from './agents';
import { demoCallStream, demoTemplates } from './calls';
import { startTidying } from './tidy';

/** The recorded calls' support line (their DID, in any of its forms, normalises to this). */
export const DEMO_SUPPORT_NUMBER = '+79219416004';

export interface DemoOptions {
  /** The service's configuration; its PBX list, support numbers and first admin are the demo's own. */
  config: Config;
  logger: Logger;
  /** Replay speed over the recorded timing (default 1: the calls are short as recorded, 3–16 s). */
  speed?: number;
  /** Recorded time between two calls' starts (default 6 s) and random extra delay (default 2 s). */
  intervalMs?: number;
  jitterMs?: number;
  /** Seeds the callers' numbers (default: the clock, so each run brings new callers). */
  seed?: number;
  /** Told as each pass of the recorded calls begins. */
  onPass?: (pass: number) => void;
  /** Untouched drafts go this long after their call ended (default 2 min; null keeps them). */
  tidyAfterMs?: number | null;
}

export interface RunningDemo {
  service: RunningService;
  peer: AmiPeer;
  /** The demo agents, with `created: false` for those an earlier run left. */
  agents: EnsuredAgent[];
  /** The first admin, created with the service when the database had none. */
  admin: DemoAgent;
  /** Stops the replay, the service (and its embedded database) and the PBX; once. */
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const log = o.logger.child({ module: 'demo' });
  const username = 'calldesk-demo';
  const secret = randomBytes(12).toString('base64url');
  const peer = await AmiPeer.start({ host: '127.0.0.1', port: 0, username, secret });
  const config: Config = {
    ...o.config,
    supportNumbers: [DEMO_SUPPORT_NUMBER],
    pbx: [{ id: 'demo', host: '127.0.0.1', port: peer.port, username, secret }],
    adminLogin: DEMO_ADMIN.login,
    adminPassword: DEMO_ADMIN.password,
  };
  let service: RunningService;
  try {
    service = await startService(config, o.logger);
  } catch (err) {
    await peer.close();
    throw err;
  }

  let agents: EnsuredAgent[];
  try {
    agents = await ensureDemoAgents(new AgentService(service.app.ds, service.app.directory));
  } catch (err) {
    await service.stop().catch(() => undefined);
    await peer.close();
    throw err;
  }
  const supervisor = DEMO_AGENTS.find((a) => a.role === 'supervisor')!;
  const stopTidying =
    o.tidyAfterMs === null
      ? async () => undefined
      : startTidying({ ds: service.app.ds, tickets: service.app.tickets, login: supervisor.login, afterMs: o.tidyAfterMs, logger: log });

  const templates = demoTemplates();
  const abort = new AbortController();
  const seed = o.seed ?? Math.floor(Date.now() / 1000) % 1_000_000;
  const replaying = peer
    .replay(
      demoCallStream({
        templates,
        intervalMs: o.intervalMs ?? 6_000,
        jitterMs: o.jitterMs ?? 2_000,
        seed,
        onPass: o.onPass,
      }),
      // Held while the service is not connected, so no call is half-played to it.
      { speed: o.speed ?? 1, holdWhileDisconnected: true, signal: abort.signal },
    )
    .catch((err) => log.error({ err }, 'the demo PBX stopped replaying'));

  let stopping: Promise<void> | null = null;
  return {
    service,
    peer,
    agents,
    admin: DEMO_ADMIN,
    stop: () =>
      (stopping ??= (async () => {
        abort.abort();
        await replaying;
        await stopTidying();
        await service.stop();
        await peer.close();
      })()),
  };
}
