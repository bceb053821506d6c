// The agent table: who may sign in, with which role and extension. Passwords arrive hashed.
import type { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../tickets/roles';
import { rows } from './query';

/** An agent row as stored (without the password hash). */
export interface AgentRow {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
  active: boolean;
  must_change_password: boolean;
  created_at: Date;
}

/** What the in-memory directory keeps of an active agent. */
export interface ActiveAgentRow {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
}

export interface AgentChanges {
  login?: string;
  name?: string;
  role?: Role;
  extension?: string | null;
  active?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

const COLUMNS = `id, login, name, role, extension, active, must_change_password, created_at`;

export function listAgents(ds: DataSource): Promise<AgentRow[]> {
  return ds.query(`SELECT ${COLUMNS} FROM agent ORDER BY login`);
}

export async function agentById(ds: DataSource | EntityManager, id: string): Promise<AgentRow | null> {
  return (await ds.query(`SELECT ${COLUMNS} FROM agent WHERE id = $1`, [id]))[0] ?? null;
}

export function activeAgents(ds: DataSource): Promise<ActiveAgentRow[]> {
  return ds.query(`SELECT id, login, name, role, extension FROM agent WHERE active`);
}

/** The active agent with exactly this login, or null. */
export async function activeAgentByLogin(ds: DataSource, login: string): Promise<ActiveAgentRow | null> {
  return (await ds.query(`SELECT id, login, name, role, extension FROM agent WHERE login = $1 AND active`, [login]))[0] ?? null;
}

/** Sign-in: the agent whose login matches whatever its case, active or not, with the password hash. */
export async function agentWithHash(ds: DataSource, id: string): Promise<(AgentRow & { password_hash: string }) | null> {
  return (await ds.query(`SELECT ${COLUMNS}, password_hash FROM agent WHERE id = $1`, [id]))[0] ?? null;
}

export async function agentForSignIn(ds: DataSource, login: string): Promise<(AgentRow & { password_hash: string }) | null> {
  return (await ds.query(`SELECT ${COLUMNS}, password_hash FROM agent WHERE lower(login) = lower($1)`, [login]))[0] ?? null;
}

export async function hasActiveAdmin(ds: DataSource): Promise<boolean> {
  return (await ds.query(`SELECT 1 FROM agent WHERE role = 'admin' AND active LIMIT 1`)).length > 0;
}

/** Throws the database's unique violation when the login or extension is taken (see takenBy). */
export async function insertAgent(
  ds: DataSource | EntityManager,
  a: { login: string; name: string; role: Role; extension: string | null; passwordHash: string; mustChangePassword: boolean },
): Promise<AgentRow> {
  const inserted = await ds.query(
    `INSERT INTO agent (login, name, role, extension, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [a.login, a.name, a.role, a.extension, a.passwordHash, a.mustChangePassword],
  );
  return inserted[0];
}

/** The changed agent, or null when there is none with this id. Throws as insertAgent. */
export async function updateAgent(ds: DataSource | EntityManager, id: string, changes: AgentChanges): Promise<AgentRow | null> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (col: string, v: unknown) => {
    if (v === undefined) return;
    values.push(v);
    sets.push(`${col} = $${values.length}`);
  };
  set('login', changes.login);
  set('name', changes.name);
  set('role', changes.role);
  set('extension', changes.extension);
  set('active', changes.active);
  set('password_hash', changes.passwordHash);
  set('must_change_password', changes.mustChangePassword);
  if (sets.length === 0) return agentById(ds, id);
  return (await rows(ds, `UPDATE agent SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, values))[0] ?? null;
}

/** Which unique column a failed insert or update collided on ('login', 'extension', 'other'), or null if it was no such failure. */
export function takenBy(err: unknown): 'login' | 'extension' | 'other' | null {
  const e = err as { code?: string; constraint?: string; detail?: string } | null;
  if (e?.code !== '23505') return null;
  const c = String(e.constraint ?? e.detail ?? '');
  return c.includes('login') ? 'login' : c.includes('extension') ? 'extension' : 'other';
}
