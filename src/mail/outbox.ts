// The durable outbox: a mail is queued in the same transaction as the change it tells of, and a
// worker on every instance sends the due ones over SMTP. A mail is claimed for a lease
// (FOR UPDATE SKIP LOCKED: two instances never take the same one), sent, then marked sent; a
// failure is retried with back-off (a permanent 5xx refusal is kept as failed); a mail claimed by
// a process that died is taken again when its lease runs out. The one gap SMTP leaves: a crash
// after the server accepted a mail and before the mark sends that mail twice (README).
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { insertCustomerLink } from '../db/customer-links';
import {
  automaticMailsSince,
  claimDueMails,
  insertOutboxMail,
  markMailFailed,
  markMailRetry,
  markMailSent,
  pendingMailCount,
  type OutboxRow,
} from '../db/mail-outbox';
import { newToken, tokenHash } from '../links/tokens';
import { LINK_PLACEHOLDER, composeMail, isAutomatic, type MailKind, type Thread } from './compose';

/** At most this many automatic mails to one address per window (replies by agents do not count). */
export const AUTOMATIC_LIMIT = { count: 3, windowMs: 10 * 60_000 };

export interface OutboxOptions {
  ds: DataSource;
  smtpUrl: string;
  from: string;
  /** The base of customer links (`PUBLIC_URL`). */
  publicUrl: string;
  logger: Logger;
  /** How often to look for due mails besides being woken by a new one (default 5 s). */
  pollMs?: number;
  /** How long a claim holds before another process may take the mail (default 120 s). */
  leaseSeconds?: number;
  /** The first retry's delay; each next one doubles, up to an hour (default 30 s). */
  retrySeconds?: number;
}

export interface QueuedMail {
  kind: MailKind;
  ticketId: string;
  to: string;
  number: string;
  subject: string;
  /** The body; `LINK_PLACEHOLDER` in it becomes the customer's link as the mail is sent. */
  text: string;
  thread?: Thread;
  /** The actions the link offers, when the body has one. */
  link?: { actions: string[]; completedAt: Date | null };
}

export class MailOutbox {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  // Until `start`: a process that only queues (a test, a script) sends nothing itself.
  private stopped = true;
  /** A mail was queued since the last round: `committed` starts one at once. */
  private queued = false;

  constructor(private readonly o: OutboxOptions) {
    // Bounded well inside the lease, so that no other instance takes a mail still being sent.
    this.transport = nodemailer.createTransport({ url: o.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  }

  /**
   * Queues a mail inside the caller's transaction; returns its Message-ID, or null when it is an
   * automatic one over the per-address limit (then it is not sent at all).
   */
  async queue(m: EntityManager, mail: QueuedMail, now = new Date()): Promise<string | null> {
    const to = mail.to.trim().toLowerCase();
    const automatic = isAutomatic(mail.kind);
    if (automatic && (await automaticMailsSince(m, to, new Date(now.getTime() - AUTOMATIC_LIMIT.windowMs))) >= AUTOMATIC_LIMIT.count) {
      this.o.logger.warn({ ticketId: mail.ticketId, kind: mail.kind }, 'automatic mail not sent: limit per address reached');
      return null;
    }
    const id = randomUUID();
    const c = composeMail({ ...mail, to, uuid: id, from: this.o.from });
    await insertOutboxMail(m, {
      id,
      ticket_id: mail.ticketId,
      kind: mail.kind,
      automatic,
      recipient: to,
      subject: c.subject,
      body: c.text,
      message_id: c.messageId,
      in_reply_to: c.inReplyTo,
      references: c.references,
      headers: c.headers,
      link_actions: mail.link ? mail.link.actions : null,
      link_completed_at: mail.link?.completedAt ?? null,
    });
    this.queued = true;
    return c.messageId;
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.o.pollMs ?? 5000);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.transport.close();
  }

  /** Told after a change committed: sends what it queued now instead of at the next poll. */
  committed(): void {
    if (!this.queued) return;
    this.queued = false;
    this.wake();
  }

  /** Looks for due mails now (once more after the current round, if one is running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendDue()
      .then(() => undefined)
      .catch((err) => this.o.logger.warn({ err }, 'outbox round failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Sends every due mail; resolves when the round is done (tests await it). */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      // One at a time: each mail's lease starts as it is sent.
      const [mail] = await claimDueMails(this.o.ds, 1, this.o.leaseSeconds ?? 120);
      if (!mail) return sent;
      if (await this.sendOne(mail)) sent++;
      if (this.stopped) return sent;
    }
  }

  /** Mails waiting to be sent (health). */
  pending(): Promise<number> {
    return pendingMailCount(this.o.ds);
  }

  private async sendOne(mail: OutboxRow): Promise<boolean> {
    try {
      await this.transport.sendMail({
        from: this.o.from,
        to: mail.recipient,
        subject: mail.subject,
        text: await this.withLink(mail),
        messageId: mail.message_id,
        inReplyTo: mail.in_reply_to ?? undefined,
        references: mail.references.length ? mail.references : undefined,
        headers: mail.headers,
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      const message = e.message.slice(0, 500);
      if (e.responseCode && e.responseCode >= 500) {
        await markMailFailed(this.o.ds, mail.id, message);
        this.o.logger.error({ mailId: mail.id, ticketId: mail.ticket_id, error: message }, 'mail refused for good');
      } else {
        const delay = Math.min(3600, (this.o.retrySeconds ?? 30) * 2 ** Math.min(mail.attempts - 1, 12));
        await markMailRetry(this.o.ds, mail.id, message, delay);
        this.o.logger.warn({ mailId: mail.id, attempts: mail.attempts, retryInSeconds: delay, error: message }, 'mail not sent; will retry');
      }
      return false;
    }
    await markMailSent(this.o.ds, mail.id);
    return true;
  }

  /**
   * The body with a fresh link in place of the placeholder: the token exists only in the mail
   * sent (a retry gets another one; the database keeps hashes only).
   */
  private async withLink(mail: OutboxRow): Promise<string> {
    if (!mail.link_actions || !mail.ticket_id || !mail.body.includes(LINK_PLACEHOLDER)) return mail.body;
    const token = newToken();
    await insertCustomerLink(this.o.ds, {
      hash: tokenHash(token),
      ticketId: mail.ticket_id,
      recipient: mail.recipient,
      actions: mail.link_actions,
      completedAt: mail.link_completed_at,
    });
    return mail.body.split(LINK_PLACEHOLDER).join(customerLinkUrl(this.o.publicUrl, token));
  }
}

export const customerLinkUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/r/${token}`;
