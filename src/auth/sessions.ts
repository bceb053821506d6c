// Sessions: an opaque bearer token (also sent as a cookie to browsers); only its sha256 is stored.
// A session lasts a shift and slides: every use pushes its end `sessionHours` further.
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Role } from '../db/entities/agent.entity';

export interface AuthAgent {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
}

export interface SessionInfo {
  sessionId: string;
  agent: AuthAgent;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
// Re-checked against the database at most this often per token, so a revoked session ends
// within seconds on every instance without a query per request.
const CACHE_MS = 10_000;
const SLIDE_EVERY_MS = 60_000;

export class SessionService {
  private readonly cache = new Map<string, { info: SessionInfo; checkedAt: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly sessionHours: number,
  ) {}

  async create(agentId: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.ds.query(
      `INSERT INTO session (token_hash, agent_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
      [hashToken(token), agentId, now, new Date(now.getTime() + this.sessionHours * 3600_000)],
    );
    return token;
  }

  async validate(token: string, now: Date): Promise<SessionInfo | null> {
    const key = hashToken(token);
    const cached = this.cache.get(key);
    if (cached && now.getTime() - cached.checkedAt < CACHE_MS) return cached.info;
    const rows = await this.ds.query(
      `SELECT s.id AS session_id, s.last_seen_at, a.id, a.login, a.name, a.role, a.extension
         FROM session s JOIN agent a ON a.id = s.agent_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND a.active`,
      [key, now],
    );
    if (rows.length === 0) {
      this.cache.delete(key);
      return null;
    }
    const r = rows[0];
    const info: SessionInfo = {
      sessionId: r.session_id,
      agent: { id: r.id, login: r.login, name: r.name, role: r.role, extension: r.extension },
    };
    if (now.getTime() - new Date(r.last_seen_at).getTime() > SLIDE_EVERY_MS) {
      await this.ds.query(`UPDATE session SET last_seen_at = $2, expires_at = $3 WHERE id = $1`, [
        info.sessionId,
        now,
        new Date(now.getTime() + this.sessionHours * 3600_000),
      ]);
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { info, checkedAt: now.getTime() });
    return info;
  }

  async revoke(token: string, now: Date): Promise<void> {
    const key = hashToken(token);
    this.cache.delete(key);
    await this.ds.query(`UPDATE session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [key, now]);
  }

  /** Forget cached sessions of an agent whose role, extension or password changed. */
  forgetAgent(agentId: string): void {
    for (const [k, v] of this.cache) if (v.info.agent.id === agentId) this.cache.delete(k);
  }
}
