// Prometheus metrics: what an operator watches (live calls, AMI event rate, reconnects, write
// queue depth, database and push latency, open sockets, the e-mail channel).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PopWait } from './ingest/push-protocol';

/** What the e-mail channel says of itself (absent fields: that side is not configured). */
export type MailState = { connected?: boolean; lastUid?: number | null; quarantined?: number; outbox?: number } | undefined;

export function createMetrics() {
  const registry = new Registry();
  // The mail gauges read the channel's state once per scrape (it asks the database).
  let mailSource: (() => Promise<MailState>) | null = null;
  let mailRead: { at: number; state: Promise<MailState> } | null = null;
  const mail = (): Promise<MailState> => {
    if (!mailSource) return Promise.resolve(undefined);
    if (!mailRead || Date.now() - mailRead.at > 1000) mailRead = { at: Date.now(), state: mailSource().catch(() => undefined) };
    return mailRead.state;
  };
  const mailGauge = (name: string, help: string, read: (m: NonNullable<MailState>) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const m = await mail();
        const v = m ? read(m) : undefined;
        if (v === undefined || v === null) this.reset();
        else this.set(v);
      },
    });
  mailGauge('calldesk_mail_connected', '1 when the support mailbox (IMAP) is connected', (m) => (m.connected === undefined ? undefined : m.connected ? 1 : 0));
  mailGauge('calldesk_mail_last_uid', 'The last UID read from the support mailbox', (m) => m.lastUid);
  mailGauge('calldesk_mail_quarantined', 'Mail that could not be read, waiting for an admin', (m) => m.quarantined);
  mailGauge('calldesk_mail_outbox_depth', 'Mails waiting to be sent', (m) => m.outbox);
  collectDefaultMetrics({ register: registry, prefix: 'calldesk_process_' });
  return {
    registry,
    amiEvents: new Counter({ name: 'calldesk_ami_events_total', help: 'AMI messages received', labelNames: ['pbx'], registers: [registry] }),
    amiInvalid: new Counter({ name: 'calldesk_ami_invalid_frames_total', help: 'AMI messages that could not be understood (skipped)', labelNames: ['pbx'], registers: [registry] }),
    amiReconnects: new Counter({ name: 'calldesk_ami_reconnects_total', help: 'AMI (re)connections made', labelNames: ['pbx'], registers: [registry] }),
    pbxConnected: new Gauge({ name: 'calldesk_pbx_connected', help: '1 when the PBX connection is up', labelNames: ['pbx'], registers: [registry] }),
    liveCalls: new Gauge({ name: 'calldesk_live_calls', help: 'Calls in progress', labelNames: ['pbx'], registers: [registry] }),
    writeQueue: new Gauge({ name: 'calldesk_write_queue_depth', help: 'Call facts waiting to be written', registers: [registry] }),
    backPressure: new Gauge({ name: 'calldesk_backpressure', help: '1 while reading of the PBX is paused because writes cannot keep up', registers: [registry] }),
    dbBatchSeconds: new Histogram({
      name: 'calldesk_db_batch_seconds',
      help: 'Time to write one batch of calls and drafts',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    pushSeconds: new Histogram({
      name: 'calldesk_push_seconds',
      help: 'From the AMI event to the WebSocket frame leaving',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    openSockets: new Gauge({ name: 'calldesk_open_sockets', help: 'Open WebSocket connections', registers: [registry] }),
    popWaitSeconds: new Histogram({
      name: 'calldesk_pop_wait_seconds',
      help: 'Where a screen pop waited inside the service: behind the batch in flight, writing the batch storing its call and draft, sending',
      labelNames: ['stage'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    /** Sets the gauges read from elsewhere; called before every scrape. */
    refresh: (() => undefined) as () => void,
    /** One screen pop's wait (ingest/push-protocol.ts PopWait), by stage. */
    observePop(w: PopWait): void {
      this.popWaitSeconds.observe({ stage: 'behind_batch' }, w.behindMs / 1000);
      this.popWaitSeconds.observe({ stage: 'own_batch' }, w.ownBatchMs / 1000);
      this.popWaitSeconds.observe({ stage: 'send' }, w.sendMs / 1000);
    },
    /** Where the mail gauges read the channel's state. */
    setMailSource(source: () => Promise<MailState>): void {
      mailSource = source;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
