// Managing agents: create, list, change; and the first admin at first start.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/passwords';
import type { Role } from '../tickets/roles';
import { Conflict, NotFound } from '../tickets/errors';
import type { AgentDirectory } from './agent-directory';
import { rows as returning } from '../db/query';

export interface AgentView {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
  active: boolean;
  createdAt: string;
}

export interface AgentInput {
  login?: string;
  name?: string;
  role?: Role;
  extension?: string | null;
  password?: string;
  active?: boolean;
}

const COLUMNS = `id, login, name, role, extension, active, created_at`;
const toView = (r: any): AgentView => ({
  id: r.id,
  login: r.login,
  name: r.name,
  role: r.role,
  extension: r.extension,
  active: r.active,
  createdAt: new Date(r.created_at).toISOString(),
});

function uniqueViolation(err: any): string | null {
  if (err?.code !== '23505') return null;
  return String(err.constraint ?? err.detail ?? '');
}

export class AgentService {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: AgentDirectory,
  ) {}

  async list(): Promise<AgentView[]> {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM agent ORDER BY login`);
    return rows.map(toView);
  }

  async get(id: string): Promise<AgentView> {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM agent WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFound('agent');
    return toView(rows[0]);
  }

  async create(input: Required<Pick<AgentInput, 'login' | 'password'>> & AgentInput): Promise<AgentView> {
    const passwordHash = await hashPassword(input.password);
    try {
      const rows = await this.ds.query(
        `INSERT INTO agent (login, name, role, extension, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [input.login, input.name ?? input.login, input.role ?? 'agent', input.extension ?? null, passwordHash],
      );
      await this.directory.reload();
      return toView(rows[0]);
    } catch (err) {
      throw this.translate(err) ?? err;
    }
  }

  async update(id: string, input: AgentInput): Promise<AgentView> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (col: string, v: unknown) => {
      values.push(v);
      sets.push(`${col} = $${values.length}`);
    };
    if (input.login !== undefined) set('login', input.login);
    if (input.name !== undefined) set('name', input.name);
    if (input.role !== undefined) set('role', input.role);
    if (input.extension !== undefined) set('extension', input.extension);
    if (input.active !== undefined) set('active', input.active);
    if (input.password !== undefined) set('password_hash', await hashPassword(input.password));
    if (sets.length === 0) return this.get(id);
    try {
      const rows = await returning(this.ds, `UPDATE agent SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, values);
      if (!rows[0]) throw new NotFound('agent');
      if (input.password !== undefined || input.active === false) {
        await this.ds.query(`UPDATE session SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, [id]);
      }
      await this.directory.reload();
      return toView(rows[0]);
    } catch (err) {
      throw this.translate(err) ?? err;
    }
  }

  /** At first start: create the first admin from the configuration, or with a generated password printed once. */
  async ensureAdmin(login: string | undefined, password: string | undefined, logger: Logger): Promise<void> {
    const rows = await this.ds.query(`SELECT 1 FROM agent WHERE role = 'admin' AND active LIMIT 1`);
    if (rows.length > 0) return;
    const generated = !password;
    const pass = password ?? randomBytes(12).toString('base64url');
    await this.create({ login: login ?? 'admin', password: pass, name: 'Administrator', role: 'admin' });
    if (generated) {
      // Printed once on purpose, outside the structured log (which may be shipped elsewhere).
      process.stdout.write(`\n  First admin created: login "${login ?? 'admin'}", password "${pass}" (shown once; change it).\n\n`);
    } else {
      logger.info({ login: login ?? 'admin' }, 'first admin created from configuration');
    }
  }

  private translate(err: unknown): Error | null {
    const c = uniqueViolation(err);
    if (c === null) return null;
    if (c.includes('login')) return new Conflict('this login is taken', 'login');
    if (c.includes('extension')) return new Conflict('this extension belongs to another agent', 'extension');
    return new Conflict('already exists');
  }
}
