// One PBX: its AMI connection, its call model and the shared pipeline, wired together.
// AMI bytes → typed events → call facts → durable rows → pushes.
import type { Logger } from 'pino';
import { AmiConnection } from '../ami/client';
import { parseAmiEvent } from '../ami/events';
import type { RawAmiMessage } from '../ami/raw';
import type { LiveChannel } from '../ami/live-channel';
import { CallTracker } from '../calls/tracker';
import type { PbxConfig } from '../config/config';
import type { Metrics } from '../metrics';
import type { IngestPipeline } from './pipeline';
import type { CallStore } from '../db/call-store';
import { rowToCall } from './call-rows';

export interface PbxIngestOptions {
  pbx: PbxConfig;
  supportNumbers: string[];
  isAfterHours: (at: Date) => boolean;
  pipeline: IngestPipeline;
  store: CallStore;
  metrics: Metrics;
  logger: Logger;
  onStatus: () => void;
}

export class PbxIngest {
  readonly id: string;
  readonly tracker: CallTracker;
  private readonly connection: AmiConnection;
  private connected = false;
  private lastEventAt: Date | null = null;
  private invalidLogged = 0;

  constructor(private readonly o: PbxIngestOptions) {
    this.id = o.pbx.id;
    const log = o.logger.child({ module: 'ami', pbx: this.id });
    this.tracker = new CallTracker({
      pbx: this.id,
      supportNumbers: o.pbx.supportNumbers ?? o.supportNumbers,
      trunkDids: o.pbx.trunkDids,
      trunks: o.pbx.trunks,
      isAfterHours: o.isAfterHours,
    });
    const events = o.metrics.amiEvents.labels(this.id);
    const invalid = o.metrics.amiInvalid.labels(this.id);
    this.connection = new AmiConnection({
      id: this.id,
      host: o.pbx.host,
      port: o.pbx.port,
      username: o.pbx.username,
      secret: o.pbx.secret ?? '',
      logger: log,
      onEvent: (raw: RawAmiMessage, at: Date) => {
        events.inc();
        this.lastEventAt = at;
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
      onConnected: (live: LiveChannel[], at: Date) => {
        this.connected = true;
        o.metrics.amiReconnects.labels(this.id).inc();
        o.metrics.pbxConnected.labels(this.id).set(1);
        o.pipeline.accept(this.tracker.reconcile(live, at));
        log.info({ live: live.length }, 'PBX connected and reconciled');
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

  /** Calls the database still has as live (a restart) go back into the model, then connect. */
  async start(): Promise<void> {
    const rows = await this.o.store.liveCalls(this.id);
    if (rows.length > 0) this.tracker.restore(rows.map(rowToCall));
    this.connection.start();
  }

  pause(): void {
    this.connection.pause();
  }

  resume(): void {
    this.connection.resume();
  }

  async stop(): Promise<void> {
    await this.connection.stop();
  }

  status() {
    return { id: this.id, connected: this.connected, lastEventAt: this.lastEventAt?.toISOString() ?? null };
  }

  liveCount(): number {
    return this.tracker.liveCalls().length;
  }
}
