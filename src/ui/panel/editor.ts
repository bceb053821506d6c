// Autosave of one request being typed: changes go to the server within a second (debounced PATCH
// with the version last seen), every keystroke is first kept in localStorage so a reload, a closed
// tab or a server restart loses nothing, and a change made elsewhere to a field being typed is a
// conflict the agent resolves, never an overwrite. Fields typed here and not changed elsewhere are
// merged quietly (a colleague's edit of another field, an assignment, "number told").
import { api, ApiError } from './api';
import type { Ticket } from '../../wire/ticket';
import { TEXT_FIELDS, type Field, type Fields } from './fields';

export type SaveState = 'saved' | 'pending' | 'saving' | 'offline' | 'conflict' | 'error';

export interface Conflict {
  theirs: Ticket;
  fields: Field[];
}

interface Stored {
  dirty: Partial<Fields>;
  /** What the server had for each field when typing into it began. */
  baseOf: Partial<Fields>;
  at: string;
}

const PREFIX = 'calldesk.unsent.';
const DEBOUNCE_MS = 400;
/** Continuous typing still saves at least this often ("within a second"). */
const MAX_WAIT_MS = 900;

/** Requests with text typed by this agent in this browser and not yet on the server. */
export function unsentTicketIds(agentId: string): string[] {
  const ids: string[] = [];
  const prefix = `${PREFIX}${agentId}.`;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) ids.push(key.slice(prefix.length));
    }
  } catch {
    // storage unavailable
  }
  return ids;
}

function readStored(key: string): Stored | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

function setField(target: Partial<Fields>, f: Field, value: unknown): void {
  (target as Record<Field, unknown>)[f] = value;
}

export class Editor {
  base: Ticket;
  dirty: Partial<Fields> = {};
  private baseOf: Partial<Fields> = {};
  state: SaveState = 'saved';
  savedAt: Date | null = null;
  error: string | null = null;
  conflict: Conflict | null = null;
  private timer: number | undefined;
  private firstUnsavedAt = 0;
  private inflight: Promise<void> | null = null;
  /** What the request in flight carries: its echo over the WebSocket is not someone else's edit. */
  private sending: Partial<Fields> | null = null;
  private retryMs = 1000;

  /** Kept per agent: a colleague signing in on the same computer does not get this text. */
  private readonly key: string;

  constructor(
    base: Ticket,
    agentId: string,
    private readonly notify: () => void,
  ) {
    this.base = base;
    this.key = `${PREFIX}${agentId}.${base.id}`;
    this.restore();
  }

  get id(): string {
    return this.base.id;
  }

  get values(): Fields {
    const b = this.base;
    return {
      subject: b.subject,
      description: b.description,
      technicalDetails: b.technicalDetails,
      productVersion: b.productVersion,
      fixedIn: b.fixedIn,
      priority: b.priority,
      ...this.dirty,
    };
  }

  get hasUnsent(): boolean {
    return Object.keys(this.dirty).length > 0;
  }

  get readonly(): boolean {
    return this.base.status === 'closed' || this.base.status === 'discarded';
  }

  set<F extends Field>(field: F, value: Fields[F]): void {
    if (!(field in this.dirty)) this.baseOf[field] = this.base[field];
    if (value === this.baseOf[field] && !this.conflict) {
      delete this.dirty[field];
      delete this.baseOf[field];
    } else {
      this.dirty[field] = value;
    }
    this.persist();
    if (this.state !== 'conflict' && this.state !== 'offline') this.state = this.hasUnsent ? 'pending' : 'saved';
    this.schedule();
    this.notify();
  }

  /** Sends what is unsent now; true when the server has everything typed here. */
  async flush(): Promise<boolean> {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inflight) await this.inflight;
    if (this.conflict) return false;
    if (!this.hasUnsent) {
      if (this.state !== 'error') this.state = 'saved';
      return true;
    }
    const changes = { ...this.dirty };
    this.state = 'saving';
    this.sending = changes;
    this.notify();
    this.inflight = this.send(changes).finally(() => {
      this.inflight = null;
      this.sending = null;
      this.notify();
    });
    await this.inflight;
    return !this.hasUnsent && (this.state as SaveState) === 'saved';
  }

  private async send(changes: Partial<Fields>): Promise<void> {
    try {
      const saved = await api.patch(this.id, this.base.version, changes);
      this.retryMs = 1000;
      this.error = null;
      if (saved.version >= this.base.version) this.base = saved;
      for (const f of Object.keys(changes) as Field[]) {
        if (!(f in this.dirty) || this.dirty[f] === changes[f]) {
          delete this.dirty[f];
          delete this.baseOf[f];
        } else {
          setField(this.baseOf, f, saved[f]);
        }
      }
      this.persist();
      this.savedAt = new Date();
      this.state = this.hasUnsent ? 'pending' : 'saved';
      this.firstUnsavedAt = 0;
      if (this.hasUnsent) this.schedule();
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'offline', String(err));
      if (e.status === 409 && e.code === 'stale_version') {
        // Changed elsewhere meanwhile: merge if what changed is not what is typed here, else ask.
        const current = await api.ticket(this.id).catch(() => null);
        if (!current) return this.offline();
        this.receive(current, true);
        if (!this.conflict && this.hasUnsent) this.schedule(0);
      } else if (e.offline) {
        this.offline();
      } else {
        this.state = 'error';
        this.error = e.message;
      }
    }
  }

  private offline(): void {
    this.state = 'offline';
    this.schedule(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  /** The request as the server has it now (a push, a reload, an action's answer). */
  receive(theirs: Ticket, afterConflict = false): void {
    if (theirs.id !== this.id) return;
    if (theirs.version < this.base.version) return;
    if (theirs.version === this.base.version && !afterConflict) {
      this.base = theirs;
      this.notify();
      return;
    }
    const clash: Field[] = [];
    for (const f of Object.keys(this.dirty) as Field[]) {
      if (theirs[f] === this.dirty[f]) {
        // The server already has this very text (sent from here before a reload, or the same edit).
        delete this.dirty[f];
        delete this.baseOf[f];
      } else if (this.sending && f in this.sending && theirs[f] === this.sending[f]) {
        // Our own save coming back while more was typed: that save is now the base.
        setField(this.baseOf, f, theirs[f]);
      } else if (theirs[f] !== this.baseOf[f]) {
        clash.push(f);
      }
    }
    this.base = theirs;
    if (clash.length > 0) {
      this.conflict = { theirs, fields: clash };
      this.state = 'conflict';
    } else {
      this.conflict = null;
      if (this.state === 'conflict') this.state = this.hasUnsent ? 'pending' : 'saved';
      if (!this.hasUnsent && this.state !== 'error') this.state = 'saved';
    }
    this.persist();
    this.notify();
  }

  /** Conflict resolved in favour of what was typed here: it is sent over the other version. */
  keepMine(): void {
    if (!this.conflict) return;
    for (const f of this.conflict.fields) setField(this.baseOf, f, this.base[f]);
    this.conflict = null;
    this.state = 'pending';
    this.persist();
    this.notify();
    void this.flush();
  }

  /** Conflict resolved in favour of the other version: what was typed here into those fields goes. */
  takeTheirs(): void {
    if (!this.conflict) return;
    for (const f of this.conflict.fields) {
      delete this.dirty[f];
      delete this.baseOf[f];
    }
    this.conflict = null;
    this.state = this.hasUnsent ? 'pending' : 'saved';
    this.persist();
    this.notify();
    if (this.hasUnsent) this.schedule(0);
  }

  /** The page is going away: send what is unsent with a request that outlives it. */
  sendOnUnload(): void {
    if (!this.hasUnsent || this.conflict) return;
    void api.patch(this.id, this.base.version, { ...this.dirty }, true).catch(() => undefined);
  }

  dispose(): void {
    window.clearTimeout(this.timer);
  }

  private schedule(delay?: number): void {
    if (!this.hasUnsent || this.conflict) return;
    const now = Date.now();
    if (!this.firstUnsavedAt) this.firstUnsavedAt = now;
    const wait = delay ?? Math.max(0, Math.min(DEBOUNCE_MS, this.firstUnsavedAt + MAX_WAIT_MS - now));
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), wait);
  }

  private persist(): void {
    try {
      if (!this.hasUnsent) localStorage.removeItem(this.key);
      else localStorage.setItem(this.key, JSON.stringify({ dirty: this.dirty, baseOf: this.baseOf, at: new Date().toISOString() } satisfies Stored));
    } catch {
      // storage full or unavailable: the debounced save still runs
    }
  }

  /** Text kept from before a reload: sent if the server still has what it was typed over. */
  private restore(): void {
    const stored = readStored(this.key);
    if (!stored) return;
    const clash: Field[] = [];
    for (const f of TEXT_FIELDS) {
      if (!(f in stored.dirty)) continue;
      const mine = stored.dirty[f];
      if (this.base[f] === mine) continue;
      setField(this.dirty, f, mine);
      setField(this.baseOf, f, stored.baseOf[f]);
      if (this.base[f] !== stored.baseOf[f]) clash.push(f);
    }
    if (clash.length > 0) {
      this.conflict = { theirs: this.base, fields: clash };
      this.state = 'conflict';
    } else if (this.hasUnsent) {
      this.state = 'pending';
      this.schedule(0);
    }
    this.persist();
  }
}
