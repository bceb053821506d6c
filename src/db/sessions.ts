// The session table: a token's sha256, whose it is, until when; revoked sessions stay, marked.
import type { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../tickets/roles';

export interface LiveSessionRow {
  session_id: string;
  last_seen_at: Date;
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
  must_change_password: boolean;
}

export async function insertSession(ds: DataSource, tokenHash: string, agentId: string, now: Date, expiresAt: Date): Promise<void> {
  await ds.query(`INSERT INTO session (token_hash, agent_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`, [
    tokenHash,
    agentId,
    now,
    expiresAt,
  ]);
}

/** The session of this token hash with its agent, if neither revoked, expired nor disabled at `now`. */
export async function liveSession(ds: DataSource, tokenHash: string, now: Date): Promise<LiveSessionRow | null> {
  const found = await ds.query(
    `SELECT s.id AS session_id, s.last_seen_at, a.id, a.login, a.name, a.role, a.extension, a.must_change_password
       FROM session s JOIN agent a ON a.id = s.agent_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND a.active`,
    [tokenHash, now],
  );
  return found[0] ?? null;
}

export async function slideSession(ds: DataSource, sessionId: string, now: Date, expiresAt: Date): Promise<void> {
  await ds.query(`UPDATE session SET last_seen_at = $2, expires_at = $3 WHERE id = $1`, [sessionId, now, expiresAt]);
}

export async function revokeSession(ds: DataSource, tokenHash: string, now: Date): Promise<void> {
  await ds.query(`UPDATE session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash, now]);
}

/** Every open session of an agent ends (disabled, a new password). */
export async function revokeAgentSessions(ds: DataSource | EntityManager, agentId: string): Promise<void> {
  await ds.query(`UPDATE session SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, [agentId]);
}

/** Every session of the agent but the one of this token hash (a password changed by its owner). */
export async function revokeOtherSessions(ds: DataSource, agentId: string, keepTokenHash: string): Promise<void> {
  await ds.query(`UPDATE session SET revoked_at = now() WHERE agent_id = $1 AND token_hash <> $2 AND revoked_at IS NULL`, [agentId, keepTokenHash]);
}

/** Of these token hashes, the sessions still live, with their agent's role and extension now. */
export function liveSessionsOf(ds: DataSource, tokenHashes: string[]): Promise<{ token_hash: string; role: string; extension: string | null }[]> {
  return ds.query(
    `SELECT s.token_hash, a.role, a.extension FROM session s JOIN agent a ON a.id = s.agent_id
      WHERE s.token_hash = ANY($1::text[]) AND s.revoked_at IS NULL AND s.expires_at > now() AND a.active`,
    [tokenHashes],
  );
}
