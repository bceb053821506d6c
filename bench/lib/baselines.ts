// The two baselines every figure is compared with, measured in the same run on the same machine:
// the bare asterisk-manager package parsing the same AMI stream from the same peer, and bare
// PostgreSQL inserting the same rows the service stored, one INSERT per row over one connection.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { AmiPeer } from '../../test/helpers/ami-peer';
import { buildStream, streamTemplates, type StreamSpec } from './call-stream';
import { expectStream } from './expectations';

export interface BareParseResult {
  events: number;
  ms: number;
  eventsPerSec: number;
  cpuMs: number;
}

export async function bareParse(spec: StreamSpec): Promise<BareParseResult> {
  const events = expectStream(streamTemplates(spec)).events;
  const built = await buildStream(spec); // before the clock, as for the service (rig.fullSpeed)
  const peer = await AmiPeer.start({ secret: 'bench-secret' });
  const child = fork(path.join(__dirname, '..', 'bare-ami-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const done = once(child, 'message') as Promise<[{ doneAt: number; events: number; cpuMs: number }]>;
    child.send({ port: peer.port, expect: events });
    await peer.waitForLogin(1, 30_000);
    const startedAt = Date.now();
    await peer.replay(built, { speed: 'max', track: false });
    const [r] = await done;
    const ms = r.doneAt - startedAt;
    return { events, ms, eventsPerSec: (events / ms) * 1000, cpuMs: r.cpuMs };
  } finally {
    child.disconnect();
    child.kill();
    await peer.close();
  }
}

export interface BareInsertResult {
  calls: number;
  rows: number;
  ms: number;
  rowsPerSec: number;
  callsPerSec: number;
}

const CALL_COLUMNS = [
  'id', 'pbx', 'linkedid', 'direction', 'support_line', 'caller_number', 'caller_number_raw', 'caller_name', 'did', 'called_number',
  'queue', 'started_at', 'answered_at', 'ended_at', 'outcome', 'answered_by_extension', 'answered_by', 'owner_extension',
  'after_hours', 'gap', 'hangup_cause', 'legs', 'agent_ids', 'updated_at',
];
const TICKET_COLUMNS = [
  'id', 'status', 'priority', 'channel', 'subject', 'description', 'technical_details', 'caller_number', 'assignees',
  'origin_call_id', 'callback_needed', 'created_at', 'updated_at', 'version',
];

function insertSql(table: string, columns: string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
}

/**
 * Copies of the `call`, `ticket` and `ticket_call` tables (same columns, defaults, generated
 * columns and indexes) filled with the stored rows of up to `maxCalls` calls, one autocommitted
 * INSERT per row: what storing each change as it comes would cost, at best, on this disk.
 */
export async function bareInsert(databaseUrl: string, maxCalls: number, maxMs: number): Promise<BareInsertResult> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`DROP TABLE IF EXISTS bench_bare_ticket_call, bench_bare_ticket, bench_bare_call`);
    await c.query(`CREATE TABLE bench_bare_call (LIKE call INCLUDING ALL)`);
    await c.query(`CREATE TABLE bench_bare_ticket (LIKE ticket INCLUDING ALL)`);
    await c.query(`CREATE TABLE bench_bare_ticket_call (LIKE ticket_call INCLUDING ALL)`);
    const calls = (await c.query(`SELECT ${CALL_COLUMNS.join(', ')} FROM call ORDER BY started_at LIMIT $1`, [maxCalls])).rows;
    const tickets = new Map<string, Record<string, unknown>>();
    for (const t of (await c.query(`SELECT ${TICKET_COLUMNS.join(', ')} FROM ticket WHERE origin_call_id = ANY($1::uuid[])`, [calls.map((r) => r.id)])).rows) {
      tickets.set(t.origin_call_id, t);
    }
    const callSql = insertSql('bench_bare_call', CALL_COLUMNS);
    const ticketSql = insertSql('bench_bare_ticket', TICKET_COLUMNS);
    const linkSql = `INSERT INTO bench_bare_ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3)`;
    let rows = 0;
    let done = 0;
    const started = performance.now();
    for (const call of calls) {
      await c.query(callSql, CALL_COLUMNS.map((k) => (k === 'legs' ? JSON.stringify(call[k]) : call[k])));
      rows++;
      const t = tickets.get(call.id as string);
      if (t) {
        await c.query(ticketSql, TICKET_COLUMNS.map((k) => t[k]));
        await c.query(linkSql, [t.id, call.id, t.created_at]);
        rows += 2;
      }
      done++;
      if (performance.now() - started > maxMs) break;
    }
    const ms = performance.now() - started;
    return { calls: done, rows, ms, rowsPerSec: (rows / ms) * 1000, callsPerSec: (done / ms) * 1000 };
  } finally {
    await c.query(`DROP TABLE IF EXISTS bench_bare_ticket_call, bench_bare_ticket, bench_bare_call`).catch(() => undefined);
    await c.end();
  }
}
