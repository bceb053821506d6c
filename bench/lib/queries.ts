// List and report queries over the seeded million: the service (no PBX) serves GET /api/calls,
// GET /api/tickets and the reports with the filters the panel and supervisors use; each case is requested
// `repeats` times with varied values, one request at a time, timed at the client.
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { SessionService } from '../../src/auth/sessions';
import { createDataSource } from '../../src/db/data-source';
import { ReportAggregates } from '../../src/db/report-aggregates';
import { DEFAULT_THRESHOLDS } from '../../src/supervision/thresholds';
import { SEED_AGENTS, SEED_SPAN_MS, SEED_START, seedCaller, seedRegistered, type SeedInfo } from './seed';
import { ServiceProcess } from './service-process';
import { distribution, type Distribution } from './stats';

export interface QueryCase {
  endpoint: 'calls' | 'tickets' | 'reports';
  name: string;
  dist: Distribution;
  errors: number;
  /** Items on the last page fetched (a sanity check that the filter matches something). */
  items: number;
}

/** A whole CSV export streamed: rows per second and what it cost the service in memory. */
export interface ExportResult {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  /** Peak RSS during the export minus RSS before it (after a GC). */
  rssGrowthMb: number;
}

export interface QueryResult {
  rows: number;
  export?: ExportResult;
  cases: QueryCase[];
  calls: Distribution;
  tickets: Distribution;
  reports: Distribution;
}

/** The reports' hourly sums brought up to date first, as the service's job keeps them (timed apart: once per seed). */
async function sumReportHours(url: string): Promise<void> {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    const started = performance.now();
    await new ReportAggregates(ds, DEFAULT_THRESHOLDS).extend();
    const ms = performance.now() - started;
    if (ms > 1000) process.stderr.write(`  report sums brought up to date in ${(ms / 1000).toFixed(1)} s\n`);
  } finally {
    await ds.destroy();
  }
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function measureQueries(seed: SeedInfo, repeats: number, cpuProfileDir: string | null): Promise<QueryResult> {
  const pool = new pg.Pool({ connectionString: seed.url, max: 2 });
  const service = await ServiceProcess.start({ databaseUrl: seed.url, amiPort: null, logLevel: 'warn', jobs: false }, { cpuProfileDir });
  try {
    await sumReportHours(seed.url);
    const sup = (await pool.query(`SELECT id FROM agent WHERE login = 'seed-supervisor-1'`)).rows[0].id as string;
    const agents = (await pool.query(`SELECT id FROM agent WHERE role = 'agent' ORDER BY extension::int`)).rows.map((r) => r.id as string);
    if (agents.length !== SEED_AGENTS) throw new Error('seed agents missing');
    const ds = { query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows) } as unknown as DataSource;
    const token = await new SessionService(ds, 12).create(sup, new Date());
    const rnd = prng(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const day = 86_400_000;
    const someDay = () => new Date(SEED_START + Math.floor(rnd() * (SEED_SPAN_MS / day - 7)) * day);
    const iso = (d: Date) => d.toISOString();
    const someCaller = () => encodeURIComponent(seedCaller(1 + Math.floor(rnd() * seed.rows)));
    const someNumber = () => {
      let g: number;
      do g = 1 + Math.floor(rnd() * (seed.rows - 1));
      while (!seedRegistered(g));
      const year = new Date(SEED_START + (g * SEED_SPAN_MS) / seed.rows + 3 * 3600_000).getUTCFullYear();
      // As a caller reads it out: the service finds `2025-42` as `2025-000042`.
      return `${year}-${g}`;
    };
    const get = async (path: string): Promise<{ ms: number; ok: boolean; body: any }> => {
      const t = performance.now();
      const res = await fetch(service.url + path, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      const ms = performance.now() - t;
      return { ms, ok: res.status === 200, body: res.status === 200 ? JSON.parse(text) : text };
    };

    type Case = { endpoint: QueryCase['endpoint']; name: string; path: () => string; pages?: number };
    const period = (days: number, groupBy: string) => {
      const d = someDay();
      return `since=${iso(d)}&until=${iso(new Date(+d + days * day))}&groupBy=${groupBy}`;
    };
    const cases: Case[] = [
      { endpoint: 'calls', name: 'newest first', path: () => `/api/calls?limit=50` },
      { endpoint: 'calls', name: 'pages 2–5 (cursor)', path: () => `/api/calls?limit=50`, pages: 4 },
      { endpoint: 'calls', name: 'one day', path: () => { const d = someDay(); return `/api/calls?since=${iso(d)}&until=${iso(new Date(+d + day))}`; } },
      { endpoint: 'calls', name: 'by agent', path: () => `/api/calls?agentId=${pick(agents)}` },
      { endpoint: 'calls', name: 'missed support-line', path: () => `/api/calls?outcome=missed&supportLine=true` },
      { endpoint: 'calls', name: 'by caller number', path: () => `/api/calls?callerNumber=${someCaller()}` },
      { endpoint: 'calls', name: 'after hours, one week', path: () => { const d = someDay(); return `/api/calls?afterHours=true&since=${iso(d)}&until=${iso(new Date(+d + 7 * day))}`; } },
      { endpoint: 'calls', name: 'agent + missed, one month', path: () => { const d = someDay(); return `/api/calls?agentId=${pick(agents)}&outcome=missed&since=${iso(d)}&until=${iso(new Date(+d + 30 * day))}`; } },
      { endpoint: 'tickets', name: 'work queue (priority order)', path: () => `/api/tickets?limit=50` },
      { endpoint: 'tickets', name: 'open (registered, in progress)', path: () => `/api/tickets?status=registered&status=in_progress` },
      { endpoint: 'tickets', name: 'open, pages 2–5 (cursor)', path: () => `/api/tickets?status=registered&status=in_progress`, pages: 4 },
      { endpoint: 'tickets', name: 'assignee, open', path: () => `/api/tickets?assignee=${pick(agents)}&status=registered&status=in_progress&status=completed` },
      { endpoint: 'tickets', name: 'critical', path: () => `/api/tickets?priority=critical` },
      { endpoint: 'tickets', name: 'drafts waiting for a call back', path: () => `/api/tickets?status=draft&callbackNeeded=true` },
      { endpoint: 'tickets', name: 'by caller number', path: () => `/api/tickets?callerNumber=${someCaller()}` },
      { endpoint: 'tickets', name: 'by journal number', path: () => `/api/tickets?number=${someNumber()}` },
      { endpoint: 'tickets', name: 'search: Russian word form', path: () => `/api/tickets?q=${encodeURIComponent(pick(['обновлений', 'банком', 'печатью', 'склада', 'лицензией']))}` },
      { endpoint: 'tickets', name: 'search: error code', path: () => `/api/tickets?q=${encodeURIComponent(`ORA-${String(Math.floor(rnd() * 20000)).padStart(5, '0')}`)}` },
      { endpoint: 'tickets', name: 'view: open (with the count)', path: () => `/api/tickets?view=open` },
      { endpoint: 'tickets', name: 'view: awaiting confirmation', path: () => `/api/tickets?view=awaiting` },
      { endpoint: 'tickets', name: 'view: closed, newest first', path: () => `/api/tickets?view=closed` },
      { endpoint: 'tickets', name: 'view: unassigned', path: () => `/api/tickets?view=unassigned` },
      { endpoint: 'tickets', name: 'search: a request number', path: () => `/api/tickets?q=${someNumber()}` },
      { endpoint: 'reports', name: 'calls: a week by day', path: () => `/api/reports/calls?${period(7, 'day')}` },
      { endpoint: 'reports', name: 'calls: a month by day', path: () => `/api/reports/calls?${period(30, 'day')}` },
      { endpoint: 'reports', name: 'calls: a week by hour, one agent', path: () => `/api/reports/calls?${period(7, 'hour')}&agentId=${pick(agents)}` },
      { endpoint: 'reports', name: 'requests: a week by day', path: () => `/api/reports/tickets?${period(7, 'day')}` },
      { endpoint: 'reports', name: 'requests: a month by week', path: () => `/api/reports/tickets?${period(30, 'week')}` },
      { endpoint: 'reports', name: 'requests: a week, critical', path: () => `/api/reports/tickets?${period(7, 'day')}&priority=critical` },
      { endpoint: 'reports', name: 'requests: the default week (backlog from all open now)', path: () => `/api/reports/tickets` },
      { endpoint: 'reports', name: 'live board (presence, waiting, today, surge)', path: () => `/api/board` },
      { endpoint: 'reports', name: 'review queue (every rule)', path: () => `/api/review` },
      { endpoint: 'tickets', name: 'one week, newest first', path: () => { const d = someDay(); return `/api/tickets?sort=newest&since=${iso(d)}&until=${iso(new Date(+d + 7 * day))}`; } },
    ];

    const out: QueryCase[] = [];
    const all = { calls: [] as number[], tickets: [] as number[], reports: [] as number[] };
    for (const c of cases) {
      for (let w = 0; w < 2; w++) await get(c.path());
      const times: number[] = [];
      let errors = 0;
      let items = 0;
      for (let i = 0; i < repeats; i++) {
        if (c.pages) {
          let r = await get(c.path());
          for (let p = 0; p < c.pages && r.ok && r.body.nextCursor; p++) {
            const sep = c.path().includes('?') ? '&' : '?';
            r = await get(`${c.path()}${sep}cursor=${encodeURIComponent(r.body.nextCursor)}`);
            if (r.ok) times.push(r.ms);
            else errors++;
            items = r.ok ? (r.body.items?.length ?? r.body.buckets?.length ?? 0) : items;
          }
        } else {
          const r = await get(c.path());
          if (r.ok) {
            times.push(r.ms);
            items = r.body.items?.length ?? r.body.buckets?.length ?? 0;
          } else errors++;
        }
      }
      all[c.endpoint].push(...times);
      out.push({ endpoint: c.endpoint, name: c.name, dist: distribution(times), errors, items });
    }
    const exported = await measureExport(service, `${service.url}/api/export/calls.csv`, token);
    return { rows: seed.rows, export: exported, cases: out, calls: distribution(all.calls), tickets: distribution(all.tickets), reports: distribution(all.reports) };
  } finally {
    await service.close();
    await pool.end();
  }
}

/** Streams the whole call export, counting its rows as they come. */
async function measureExport(service: ServiceProcess, url: string, token: string): Promise<ExportResult> {
  const before = await service.gc();
  await service.resetPeaks();
  const t = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const seconds = (performance.now() - t) / 1000;
  const after = await service.stats();
  const rows = Math.max(0, lines - 1); // less the header
  return { rows, seconds, rowsPerSec: rows / seconds, rssGrowthMb: (after.peakRss - before.rss) / 1024 / 1024 };
}
