// The audit trail of staff actions on accounts, blocked numbers and personal data. An entry is
// written in the transaction of the change it records: both are kept or neither (a crash between
// them, or a change that fails, would otherwise leave a change unaudited or an audit of nothing).
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';

export const AUDIT_ACTIONS = ['agent.created', 'agent.changed', 'number.blocked', 'number.unblocked', 'contact.erased'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string | null; login: string };
  action: AuditAction;
  targetId: string | null;
  details: Record<string, unknown>;
}

/** Who took an action. */
export type Actor = Pick<AuthAgent, 'id' | 'login'>;

/** Records an action through `m`, the transaction of the change itself. */
export async function writeAudit(m: EntityManager, actor: Actor, action: AuditAction, targetId: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await m.query(`INSERT INTO audit_log (actor_id, actor_login, action, target_id, details) VALUES ($1, $2, $3, $4, $5)`, [
    actor.id,
    actor.login,
    action,
    targetId,
    JSON.stringify(details),
  ]);
}

/** Reading the trail (admins). */
export class AuditLog {
  constructor(private readonly ds: DataSource) {}

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(q: { limit: number; action?: AuditAction; before?: string }): Promise<AuditEntry[]> {
    const rows: { id: string; at: Date; actor_id: string | null; actor_login: string; action: AuditAction; target_id: string | null; details: Record<string, unknown> }[] =
      await this.ds.query(
        `SELECT id, at, actor_id, actor_login, action, target_id, details FROM audit_log
          WHERE ($1::text IS NULL OR action = $1) AND ($2::bigint IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3`,
        [q.action ?? null, q.before ?? null, q.limit],
      );
    return rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      actor: { id: r.actor_id, login: r.actor_login },
      action: r.action,
      targetId: r.target_id,
      details: r.details,
    }));
  }
}
