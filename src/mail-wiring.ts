// The e-mail channel wired in one module: the intake (present only when MAIL_IMAP_URL is
// configured: the intake service and the IMAP reader, the admins' quarantine routes, what health
// says of it) and how it joins the outbox (`mail/mail-out.ts`).
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { adminMailRoutes } from './http/routes/admin-mail';
import { requestMailRoutes } from './http/routes/request-mail';
import { MailIntake, parseImapUrl } from './mail/intake';
import { MailIntakeService, type MailIntakeHooks } from './services/mail-intake-service';
import type { TicketService } from './services/ticket-service';
import { customerMessagesOf } from './db/mail-messages';
import type { MailOut } from './mail/mail-out';
import type { MailState } from './metrics';

export interface MailOptions extends MailIntakeHooks {
  /** Poll the mailbox this often besides IDLE (default 60 s). */
  pollMs?: number;
  /** Tests: a crash between fetching a message and storing it. */
  beforeStore?: (uid: number) => Promise<void> | void;
}

export interface MailChannel {
  ds: DataSource;
  service: MailIntakeService;
  intake: MailIntake;
  /** What `GET /api/health` says of the mailbox. */
  health(): Promise<{ connected: boolean; lastUid: number | null; quarantined: number }>;
}

/** The address in `Поддержка <support@example.ru>`, lower-cased. */
export function addressOf(from: string | undefined): string | null {
  if (!from) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(from) ?? /([^\s<>]+@[^\s<>]+)/.exec(from);
  return m ? m[1].toLowerCase() : null;
}

export function buildMail(o: { config: Config; ds: DataSource; tickets: TicketService; logger: Logger; options?: MailOptions }): MailChannel | null {
  if (!o.config.mailImapUrl) return null;
  const logger = o.logger.child({ module: 'mail' });
  const own = addressOf(o.config.mailFrom);
  const service = new MailIntakeService({
    ds: o.ds,
    tickets: o.tickets,
    logger,
    ownAddresses: own ? [own] : [],
    attachmentMaxBytes: o.config.mailAttachmentMaxBytes,
    onNewRequest: o.options?.onNewRequest,
    onReply: o.options?.onReply,
  });
  const intake = new MailIntake({ target: parseImapUrl(o.config.mailImapUrl), ds: o.ds, service, logger, pollMs: o.options?.pollMs, beforeStore: o.options?.beforeStore, maxBytes: o.config.mailMaxBytes });
  return {
    ds: o.ds,
    service,
    intake,
    async health() {
      const s = intake.status();
      return { connected: s.connected, lastUid: s.lastUid, quarantined: await service.quarantined().catch(() => -1) };
    },
  };
}

/**
 * The two halves of the e-mail channel joined: the intake asks the outbox to acknowledge a new
 * e-mailed request (R2), the outbox threads its mails after the customer's latest message (which
 * the intake keeps), and health / metrics tell of both.
 */
export function joinMail(
  mail: MailOut | null,
  o: { config: Config; ds: DataSource; tickets: TicketService; logger: Logger; options?: MailOptions },
): { mailIn: MailChannel | null; mailHealth: (() => Promise<MailState>) | undefined } {
  const mailIn = buildMail({
    ...o,
    options: {
      ...o.options,
      onNewRequest: async (ticketId, message) => {
        await o.options?.onNewRequest?.(ticketId, message);
        if (mail && message.autoReplyAllowed) await mail.customerMail.queueAcknowledgement(ticketId, { to: message.from, inReplyTo: message.messageId, references: [message.messageId] });
      },
    },
  });
  if (mail && mailIn) mail.customerMail.received = (m, ticketId) => customerMessagesOf(m, ticketId);
  const mailHealth =
    mail || mailIn ? async () => ({ ...(mailIn ? await mailIn.health() : {}), ...(mail ? { outbox: await mail.outbox.pending() } : {}) }) : undefined;
  return { mailIn, mailHealth };
}

export function mailRoutes(http: FastifyInstance, mail: MailChannel | null, ds: DataSource): void {
  // Always: a request's page asks for its mails, and mail read before the mailbox was unset stays readable.
  requestMailRoutes(http, { ds });
  if (!mail) return;
  adminMailRoutes(http, { mail: mail.service });
}
