// Managing agents: create, list, change; and the first admin at first start.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Role } from '../tickets/roles';
import { Conflict, NotFound, ValidationError } from '../tickets/errors';
import type { AgentDirectory } from './agent-directory';
import { writeAudit, type Actor } from '../db/audit-log';
import { agentById, agentWithHash, hasActiveAdmin, insertAgent, listAgents, takenBy, updateAgent, type AgentRow } from '../db/agents';
import { revokeAgentSessions } from '../db/sessions';

export interface AgentView {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
  active: boolean;
  /** The password was set by an admin: its owner must change it at the next sign-in. */
  mustChangePassword: boolean;
  createdAt: string;
}

export interface AgentInput {
  login?: string;
  name?: string;
  role?: Role;
  extension?: string | null;
  password?: string;
  active?: boolean;
  /** With a password set by an admin: whether its owner must change it (default yes). */
  mustChangePassword?: boolean;
}

const toView = (r: AgentRow): AgentView => ({
  id: r.id,
  login: r.login,
  name: r.name,
  role: r.role,
  extension: r.extension,
  active: r.active,
  mustChangePassword: r.must_change_password,
  createdAt: new Date(r.created_at).toISOString(),
});

export class AgentService {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: AgentDirectory,
  ) {}

  async list(): Promise<AgentView[]> {
    return (await listAgents(this.ds)).map(toView);
  }

  async get(id: string): Promise<AgentView> {
    const row = await agentById(this.ds, id);
    if (!row) throw new NotFound('agent');
    return toView(row);
  }

  /** `by`: the admin creating it, audited with the account in one transaction (none at first start). */
  async create(input: Required<Pick<AgentInput, 'login' | 'password'>> & AgentInput, by?: Actor): Promise<AgentView> {
    const passwordHash = await hashPassword(input.password);
    try {
      const row = await this.ds.transaction(async (m) => {
        const made = await insertAgent(m, {
          login: input.login,
          name: input.name ?? input.login,
          role: input.role ?? 'agent',
          extension: input.extension ?? null,
          passwordHash,
          mustChangePassword: input.mustChangePassword ?? true,
        });
        if (by) await writeAudit(m, by, 'agent.created', made.id, { login: made.login, role: made.role });
        return made;
      });
      await this.directory.reload();
      return toView(row);
    } catch (err) {
      throw this.translate(err) ?? err;
    }
  }

  /** `by`: the admin changing it; what changed (of a password only that it was reset) is audited in the change's transaction. */
  async update(id: string, input: AgentInput, by: Actor): Promise<AgentView> {
    const { login, name, role, extension, active } = input;
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    if ([login, name, role, extension, active, passwordHash, input.mustChangePassword].every((v) => v === undefined)) return this.get(id);
    try {
      // A password an admin sets is temporary unless they say otherwise.
      const mustChangePassword = passwordHash !== undefined ? (input.mustChangePassword ?? true) : input.mustChangePassword;
      const row = await this.ds.transaction(async (m) => {
        const changed = await updateAgent(m, id, { login, name, role, extension, active, passwordHash, mustChangePassword });
        if (!changed) throw new NotFound('agent');
        if (input.password !== undefined || input.active === false) await revokeAgentSessions(m, id);
        const { password, ...changes } = input;
        await writeAudit(m, by, 'agent.changed', id, { login: changed.login, ...changes, ...(password !== undefined ? { passwordReset: true } : {}) });
        return changed;
      });
      await this.directory.reload();
      return toView(row);
    } catch (err) {
      throw this.translate(err) ?? err;
    }
  }

  /** The agent's own new password, given the current one; their other sessions end. */
  async changeOwnPassword(agentId: string, current: string, next: string): Promise<void> {
    const row = await agentWithHash(this.ds, agentId);
    if (!row || !(await verifyPassword(row.password_hash, current))) throw new ValidationError('currentPassword', 'the current password is not right');
    if (current === next) throw new ValidationError('newPassword', 'the new password must differ from the current one');
    await updateAgent(this.ds, agentId, { passwordHash: await hashPassword(next), mustChangePassword: false });
  }

  /** At first start: create the first admin from the configuration, or with a generated password printed once. */
  async ensureAdmin(login: string | undefined, password: string | undefined, logger: Logger): Promise<void> {
    if (await hasActiveAdmin(this.ds)) return;
    const generated = !password;
    const pass = password ?? randomBytes(12).toString('base64url');
    await this.create({ login: login ?? 'admin', password: pass, name: 'Administrator', role: 'admin', mustChangePassword: generated });
    if (generated) {
      // Printed once on purpose, outside the structured log (which may be shipped elsewhere).
      process.stdout.write(`\n  First admin created: login "${login ?? 'admin'}", password "${pass}" (shown once; change it).\n\n`);
    } else {
      logger.info({ login: login ?? 'admin' }, 'first admin created from configuration');
    }
  }

  private translate(err: unknown): Error | null {
    const taken = takenBy(err);
    if (taken === null) return null;
    if (taken === 'login') return new Conflict('this login is taken', 'login');
    if (taken === 'extension') return new Conflict('this extension belongs to another agent', 'extension');
    return new Conflict('already exists');
  }
}
