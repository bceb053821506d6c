// Prometheus metrics: what an operator watches (live calls, AMI event rate, reconnects, write
// queue depth, database and push latency, open sockets).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
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
    /** Sets the gauges read from elsewhere; called before every scrape. */
    refresh: (() => undefined) as () => void,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
