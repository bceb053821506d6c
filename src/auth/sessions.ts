// Sessions: an opaque bearer token (also sent as a cookie to browsers); only its sha256 is stored.
// A session lasts a shift and slides: every use pushes its end `sessionHours` further.
// Long-lived connections (WebSockets) opened with a session are watched: they hear at once when it
// ends here (logout, the agent disabled, a new password) and within RECHECK_MS when it ends on
// another instance or the agent's role changes.
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertSession, liveSession, liveSessionsOf, revokeOtherSessions, revokeSession, slideSession } from '../db/sessions';
import type { Role } from '../tickets/roles';

export interface AuthAgent {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
  /** An admin set the password: until its owner changes it the session may do nothing else. */
  mustChangePassword: boolean;
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
const RECHECK_MS = 15_000;

/** Why a watched session's connection must end: `ended` (log in again) or `changed` (reconnect). */
export type SessionEnd = 'ended' | 'changed';

interface Watcher {
  tokenHash: string;
  agent: AuthAgent;
  onEnd(why: SessionEnd): void;
}

export class SessionService {
  private readonly cache = new Map<string, { info: SessionInfo; checkedAt: number }>();
  private readonly watchers = new Set<Watcher>();
  private recheckTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly sessionHours: number,
  ) {}

  async create(agentId: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await insertSession(this.ds, hashToken(token), agentId, now, new Date(now.getTime() + this.sessionHours * 3600_000));
    return token;
  }

  async validate(token: string, now: Date): Promise<SessionInfo | null> {
    const key = hashToken(token);
    const cached = this.cache.get(key);
    if (cached && now.getTime() - cached.checkedAt < CACHE_MS) return cached.info;
    const r = await liveSession(this.ds, key, now);
    if (r === null) {
      this.cache.delete(key);
      return null;
    }
    const info: SessionInfo = {
      sessionId: r.session_id,
      agent: { id: r.id, login: r.login, name: r.name, role: r.role, extension: r.extension, mustChangePassword: r.must_change_password },
    };
    if (now.getTime() - new Date(r.last_seen_at).getTime() > SLIDE_EVERY_MS) {
      await slideSession(this.ds, info.sessionId, now, new Date(now.getTime() + this.sessionHours * 3600_000));
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { info, checkedAt: now.getTime() });
    return info;
  }

  async revoke(token: string, now: Date): Promise<void> {
    const key = hashToken(token);
    this.cache.delete(key);
    await revokeSession(this.ds, key, now);
    this.notify((w) => w.tokenHash === key, 'ended');
  }

  /** The agent changed their own password: every other session of theirs ends, this one goes on. */
  async endOthers(agentId: string, keepToken: string): Promise<void> {
    const keep = hashToken(keepToken);
    await revokeOtherSessions(this.ds, agentId, keep);
    // This one too: it is read again (no longer bound to change the password).
    this.forgetAgent(agentId);
    this.notify((w) => w.agent.id === agentId && w.tokenHash !== keep, 'ended');
  }

  /** Forget cached sessions of an agent whose role, extension or password changed. */
  forgetAgent(agentId: string): void {
    for (const [k, v] of this.cache) if (v.info.agent.id === agentId) this.cache.delete(k);
  }

  /**
   * An agent was changed by an admin: `ended` when their sessions were revoked (disabled, new
   * password), else `changed`; their open connections are told at once if role or extension differ.
   */
  agentChanged(agentId: string, ended: boolean): void {
    this.forgetAgent(agentId);
    if (ended) this.notify((w) => w.agent.id === agentId, 'ended');
    else void this.recheck((w) => w.agent.id === agentId);
  }

  /** Watches the session a long-lived connection was opened with; returns the unwatch function. */
  watch(token: string, agent: AuthAgent, onEnd: (why: SessionEnd) => void): () => void {
    const w: Watcher = { tokenHash: hashToken(token), agent, onEnd };
    this.watchers.add(w);
    if (!this.recheckTimer) {
      this.recheckTimer = setInterval(() => void this.recheck(() => true), RECHECK_MS);
      this.recheckTimer.unref();
    }
    return () => {
      this.watchers.delete(w);
      if (this.watchers.size === 0 && this.recheckTimer) {
        clearInterval(this.recheckTimer);
        this.recheckTimer = null;
      }
    };
  }

  private notify(match: (w: Watcher) => boolean, why: SessionEnd): void {
    for (const w of [...this.watchers]) {
      if (!match(w)) continue;
      this.watchers.delete(w);
      w.onEnd(why);
    }
  }

  /** One query for all watched sessions: ended ones end, changed agents reconnect. */
  private async recheck(match: (w: Watcher) => boolean): Promise<void> {
    const list = [...this.watchers].filter(match);
    if (list.length === 0) return;
    let rows: { token_hash: string; role: string; extension: string | null }[];
    try {
      rows = await liveSessionsOf(this.ds, [...new Set(list.map((w) => w.tokenHash))]);
    } catch {
      return; // the database is away: no verdict, try again later
    }
    const alive = new Map(rows.map((r) => [r.token_hash, r]));
    for (const w of list) {
      const r = alive.get(w.tokenHash);
      if (!r) this.notify((x) => x === w, 'ended');
      else if (r.role !== w.agent.role || r.extension !== w.agent.extension) this.notify((x) => x === w, 'changed');
    }
  }
}
