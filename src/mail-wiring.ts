// The e-mail channel wired in one module: present only when MAIL_IMAP_URL is configured. Builds the
// intake service and the IMAP reader, the admins' quarantine routes, and what health says of it.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { adminMailRoutes } from './http/routes/admin-mail';
import { requestMailRoutes } from './http/routes/request-mail';
import { MailIntake, parseImapUrl } from './mail/intake';
import { MailIntakeService, type MailIntakeHooks } from './services/mail-intake-service';
import type { TicketService } from './services/ticket-service';

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
  const intake = new MailIntake({ target: parseImapUrl(o.config.mailImapUrl), ds: o.ds, service, logger, pollMs: o.options?.pollMs, beforeStore: o.options?.beforeStore });
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

export function mailRoutes(http: FastifyInstance, mail: MailChannel | null): void {
  if (!mail) return;
  adminMailRoutes(http, { mail: mail.service });
  requestMailRoutes(http, { ds: mail.ds });
}
