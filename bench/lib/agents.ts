// The bench's agents: rows in `agent` with the extensions the synthesised calls ring, each with a
// session made by the product's SessionService (a password login per agent would spend minutes in
// argon2 and trip the login limiter, and is not what is measured).
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { SessionService } from '../../src/auth/sessions';
import { FIRST_EXTENSION } from './call-stream';

export interface BenchAgent {
  id: string;
  login: string;
  extension: string | null;
  role: 'agent' | 'supervisor';
  token: string;
}

/** Creates `agents` agents (extensions 1000…) and `supervisors` supervisors, logged in. */
export async function createAgents(databaseUrl: string, agents: number, supervisors: number, prefix = 'bench'): Promise<BenchAgent[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    // No password can match '!': these accounts exist for their sessions only.
    const rows: { id: string; login: string; extension: string | null; role: 'agent' | 'supervisor' }[] = (
      await pool.query(
        `INSERT INTO agent (login, name, role, extension, password_hash)
         SELECT $1 || '-agent-' || g, 'Agent ' || ($2 + g), 'agent', ($2 + g)::text, '!' FROM generate_series(0, $3 - 1) g
         UNION ALL
         SELECT $1 || '-supervisor-' || g, 'Supervisor ' || g, 'supervisor', NULL, '!' FROM generate_series(1, $4) g
         RETURNING id, login, extension, role`,
        [prefix, FIRST_EXTENSION, agents, supervisors],
      )
    ).rows;
    const ds = { query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows) } as unknown as DataSource;
    const sessions = new SessionService(ds, 12);
    const out: BenchAgent[] = [];
    for (const r of rows) out.push({ ...r, token: await sessions.create(r.id, new Date()) });
    return out;
  } finally {
    await pool.end();
  }
}
