// List and report queries over the seeded million: the service (no PBX) serves GET /api/calls,
// GET /api/tickets (lists and search) and the reports with every filter and view (query-cases.ts);
// each case is requested `repeats` times with varied values, one request at a time, timed at the client.
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { SessionService } from '../../src/auth/sessions';
import { createDataSource } from '../../src/db/data-source';
import { ReportAggregates } from '../../src/db/report-aggregates';
import { DEFAULT_THRESHOLDS } from '../../src/supervision/thresholds';
import { queryCases, type Endpoint } from './query-cases';
import { SEED_AGENTS, type SeedInfo } from './seed';
import { ServiceProcess } from './service-process';
import { distribution, type Distribution } from './stats';

export interface QueryCase {
  endpoint: Endpoint;
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
  search: Distribution;
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

export async function measureQueries(seed: SeedInfo, repeats: number, cpuProfileDir: string | null, only: string[] = []): Promise<QueryResult> {
  const pool = new pg.Pool({ connectionString: seed.url, max: 2 });
  const service = await ServiceProcess.start({ databaseUrl: seed.url, amiPort: null, logLevel: 'warn', jobs: false }, { cpuProfileDir });
  try {
    await sumReportHours(seed.url);
    const sup = (await pool.query(`SELECT id FROM agent WHERE login = 'seed-supervisor-1'`)).rows[0].id as string;
    const agents = (await pool.query(`SELECT id FROM agent WHERE role = 'agent' ORDER BY extension::int`)).rows.map((r) => r.id as string);
    if (agents.length !== SEED_AGENTS) throw new Error('seed agents missing');
    const ds = { query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows) } as unknown as DataSource;
    const token = await new SessionService(ds, 12).create(sup, new Date());
    const busyToken = await new SessionService(ds, 12).create(agents[0], new Date());
    const rnd = prng(42);
    const getAs = async (path: string, asBusyAgent = false): Promise<{ ms: number; ok: boolean; body: any }> => {
      const t = performance.now();
      const res = await fetch(service.url + path, { headers: { authorization: `Bearer ${asBusyAgent ? busyToken : token}` } });
      const text = await res.text();
      const ms = performance.now() - t;
      return { ms, ok: res.status === 200, body: res.status === 200 ? JSON.parse(text) : text };
    };
    // Only the cases asked for (`--cases`): a few plans tried without the whole phase.
    const cases = queryCases({ rows: seed.rows, rnd, agents }).filter((c) => !only.length || only.some((n) => c.name.includes(n)));

    const out: QueryCase[] = [];
    const all: Record<Endpoint, number[]> = { calls: [], tickets: [], search: [], reports: [] };
    for (const c of cases) {
      const get = (path: string) => getAs(path, c.asBusyAgent);
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
    const exported = !only.length || only.includes('export') ? await measureExport(service, `${service.url}/api/export/calls.csv`, token) : undefined;
    return {
      rows: seed.rows,
      export: exported,
      cases: out,
      calls: distribution(all.calls),
      tickets: distribution(all.tickets),
      search: distribution(all.search),
      reports: distribution(all.reports),
    };
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
