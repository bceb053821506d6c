// The IMAP edge of the e-mail channel: one connection to the support mailbox (imapflow), new mail
// noticed by IDLE with a periodic poll behind it, reconnecting by itself with back-off. Every
// message above the stored last UID is fetched and handed to the intake service; the message, what
// it does and the advanced UID are stored in ONE transaction, so a crash between fetch and store
// reads it again and the unique (mailbox, Message-ID) keeps it once.
import { ImapFlow } from 'imapflow';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { isDiskFull } from '../db/disk-full';
import { advanceMailbox, lockMailbox, mailboxState, startMailbox } from '../db/mail-messages';
import type { MailIntakeService } from '../services/mail-intake-service';


const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  /** How the mailbox is known in the database: `user@host/mailbox` (no password). */
  key: string;
}

/** Reads `imap://user:pass@host:143/INBOX` (or `imaps://…`, port 993 by default). */
export function parseImapUrl(url: string): ImapTarget {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error(`MAIL_IMAP_URL must start with imap:// or imaps://`);
  const secure = u.protocol === 'imaps:';
  const user = decodeURIComponent(u.username);
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  return { host: u.hostname, port, secure, user, pass: decodeURIComponent(u.password), mailbox, key: `${user}@${u.hostname}/${mailbox}` };
}

export interface MailIntakeOptions {
  target: ImapTarget;
  ds: DataSource;
  service: MailIntakeService;
  logger: Logger;
  /** Poll this often even when IDLE says nothing (servers and middleboxes drop IDLE silently). */
  pollMs?: number;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Mail larger than this is not fetched: only its headers are kept, in quarantine (default 25 MiB). */
  maxBytes?: number;
  /** Tests: called with each UID after it is fetched and before it is stored (a crash there). */
  beforeStore?: (uid: number) => Promise<void> | void;
}

export interface MailIntakeStatus {
  connected: boolean;
  lastUid: number | null;
}

export class MailIntake {
  private client: ImapFlow | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** New mail was announced while no one was waiting: the next wait returns at once. */
  private kicked = false;
  private connected = false;
  private lastUid: number | null = null;

  constructor(private readonly o: MailIntakeOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    const c = this.client;
    if (c) await c.logout().catch(() => c.close());
    await this.running;
  }

  status(): MailIntakeStatus {
    return { connected: this.connected, lastUid: this.lastUid };
  }

  private async loop(): Promise<void> {
    const base = this.o.backoffMs ?? 1000;
    let backoff = base;
    const state = await mailboxState(this.o.ds, this.o.target.key).catch(() => null);
    this.lastUid = state?.lastUid ?? null;
    while (!this.stopped) {
      try {
        await this.session(() => (backoff = base));
      } catch (err) {
        if (!this.stopped) this.sessionFailed(err);
      }
      this.connected = false;
      this.client = null;
      if (this.stopped) break;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? 60_000);
    }
  }

  private sessionFailed(err: unknown): void {
    // The message stays in the mailbox, unread by us: it is stored once there is room.
    if (isDiskFull(err)) this.o.logger.error({ err: (err as Error).message }, 'mail not stored: the database is out of disk space; retrying');
    else this.o.logger.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'mailbox connection lost; reconnecting');
  }

  /** One connection's life: catch up, then wait for IDLE's news or the poll, until it drops. */
  private async session(connectedNow: () => void): Promise<void> {
    const t = this.o.target;
    const client = new ImapFlow({ host: t.host, port: t.port, secure: t.secure, auth: { user: t.user, pass: t.pass }, logger: false, autoIdleDelay: 500 });
    this.client = client;
    let closed = false;
    client.on('error', () => undefined); // the close that follows ends the session
    client.on('close', () => {
      // Health says so at once, wherever the session is (a read in progress ends with an error).
      closed = true;
      if (this.client === client) this.connected = false;
      this.kick();
    });
    client.on('exists', () => this.kick());
    await client.connect();
    await client.mailboxOpen(t.mailbox);
    this.connected = true;
    connectedNow();
    this.o.logger.info({ mailbox: t.key }, 'mailbox connected');
    while (!this.stopped && !closed) {
      // Held only while reading: between reads the client IDLEs, and the server's EXISTS wakes us.
      const lock = await client.getMailboxLock(t.mailbox);
      try {
        await this.catchUp(client);
      } finally {
        lock.release();
      }
      await this.sleep(this.o.pollMs ?? 60_000);
    }
    if (!this.stopped) throw new Error('the mailbox connection closed');
  }

  private async catchUp(client: ImapFlow): Promise<void> {
    const t = this.o.target;
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox open');
    const state = await startMailbox(this.o.ds, t.key, BigInt(box.uidValidity));
    this.lastUid = state.lastUid;
    // `n:*` always names the newest message, even below n: keep only the new ones.
    const sizes = new Map<number, number>();
    if (box.exists > 0) for await (const m of client.fetch(`${state.lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
    const uids = [...sizes.keys()].filter((u) => u > state.lastUid).sort((a, b) => a - b);
    const max = this.o.maxBytes ?? DEFAULT_MAX_BYTES;
    for (const uid of uids) {
      if (this.stopped) return;
      // Too large to hold in memory or the database: its headers say who sent what, for an admin.
      const tooLarge = sizes.get(uid)! > max ? { size: sizes.get(uid)!, max } : undefined;
      const msg = await client.fetchOne(String(uid), tooLarge ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true });
      const raw = tooLarge ? msg && msg.headers : msg && msg.source;
      if (!raw) continue;
      await this.o.beforeStore?.(uid);
      await this.store(uid, raw, box.uidValidity, tooLarge);
    }
  }

  private async store(uid: number, raw: Buffer, uidValidity: bigint | number, tooLarge?: { size: number; max: number }): Promise<void> {
    const t = this.o.target;
    const received = await this.o.ds.transaction(async (m) => {
      const state = await lockMailbox(m, t.key);
      // Another reader (an instance) got here first, or the mailbox was renumbered meanwhile.
      if (!state || state.uidvalidity !== BigInt(uidValidity) || state.lastUid >= uid) return null;
      const r = tooLarge ? await this.o.service.receiveTooLarge(m, t.key, uid, raw, tooLarge) : await this.o.service.receive(m, t.key, uid, raw);
      await advanceMailbox(m, t.key, uid);
      return r;
    });
    this.lastUid = Math.max(this.lastUid ?? 0, uid);
    if (received) await this.o.service.afterCommit(received);
  }

  private kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Waits `ms`, or less when new mail is announced (or the intake stops). */
  private sleep(ms: number): Promise<void> {
    if (this.kicked || this.stopped) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        self.kicked = false;
        resolve();
      }
    });
  }
}
