// What a mail read from the support mailbox does: a new request (channel e-mail, registered on
// arrival, unassigned), the customer's words on the request it threads to, a bounce attached to the
// request it bounced from, junk kept and ignored, or the unreadable kept in quarantine. The message,
// its effect and (by the caller) the mailbox's last UID are stored in the caller's one transaction.
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { findContacts } from '../db/customers';
import {
  dropQuarantined,
  flagBouncedAddress,
  insertMailAttachment,
  insertMailMessage,
  lockQuarantined,
  organisationOfDomain,
  quarantinedCount,
  quarantinedMail,
  requestByNumber,
  requestOfMessageIds,
  senderBelongsTo,
  setMailOutcome,
  type MailOutcome,
  type QuarantinedMail,
} from '../db/mail-messages';
import type { TicketRow } from '../db/rows';
import { appendJournal, insertDraft, ticketRow } from '../db/ticket-store';
import { parseMail, type ParsedMail } from '../mail/parse';
import { saysNotSolved } from '../mail/text';
import { organisationDomain } from '../mail/thread';
import { NotFound } from '../tickets/errors';
import { newDraft, OPEN_STATUSES, TEXT_LIMITS } from '../tickets/ticket';
import type { TicketService } from './ticket-service';

/** What the outbox needs to answer a mail (acknowledgement, threading). */
export interface IntakeMessage {
  /** The stored message's id. */
  id: string;
  /** Its Message-ID (`<…>`), for In-Reply-To / References. */
  messageId: string;
  from: string;
  fromName: string;
  subject: string;
  /** False for auto-replies, bulk and list mail, bounces, daemons and calldesk's own mail: never answer those. */
  autoReplyAllowed: boolean;
}

export interface MailIntakeHooks {
  /** After the commit that registered a new request from a mail (the acknowledgement, R2). */
  onNewRequest?: (ticketId: string, message: IntakeMessage) => void | Promise<void>;
  /** After the commit that added a customer's reply to a request. */
  onReply?: (ticketId: string, message: IntakeMessage) => void | Promise<void>;
}

export interface MailIntakeDeps extends MailIntakeHooks {
  ds: DataSource;
  tickets: TicketService;
  logger: Logger;
  /** calldesk's own sending addresses (lower-cased): mail from them is never acted on. */
  ownAddresses?: readonly string[];
  /** Attachments larger than this are listed but their bytes are not kept (the raw message still has them). */
  attachmentMaxBytes?: number;
}

/** What one message came to; `afterCommit` publishes it and calls the hooks. */
export interface Received {
  outcome: MailOutcome | 'duplicate';
  ticketId: string | null;
  reason: string | null;
  changed: TicketRow[];
  message: IntakeMessage | null;
}

const DEFAULT_ATTACHMENT_MAX = 10 * 1024 * 1024;
/** How the quarantine reason of a mail too large to fetch begins. */
const TOO_LARGE = 'too large:';
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export class MailIntakeService {
  constructor(private readonly d: MailIntakeDeps) {}

  /** Keeps and acts on a message read at `uid` of `mailbox`, inside `m`; a Message-ID read before does nothing. */
  async receive(m: EntityManager, mailbox: string, uid: number | null, raw: Buffer): Promise<Received> {
    const parsed = await parseMail(raw, this.d.ownAddresses ?? []);
    const id = randomUUID();
    const fresh = await insertMailMessage(m, {
      id,
      mailbox,
      uid,
      messageId: parsed.messageId,
      from: parsed.from,
      subject: parsed.subject,
      raw,
      autoReplyAllowed: parsed.ok ? parsed.classification.autoReplyAllowed : false,
    });
    if (!fresh) return { outcome: 'duplicate', ticketId: null, reason: null, changed: [], message: null };
    return this.act(m, id, parsed);
  }

  /** A message over the size limit, of which only `headers` were fetched: kept in quarantine for an admin to see and drop. */
  async receiveTooLarge(m: EntityManager, mailbox: string, uid: number, headers: Buffer, o: { size: number; max: number }): Promise<Received> {
    const parsed = await parseMail(headers, this.d.ownAddresses ?? []);
    const id = randomUUID();
    const fresh = await insertMailMessage(m, { id, mailbox, uid, messageId: parsed.messageId, from: parsed.from, subject: parsed.subject, raw: headers, autoReplyAllowed: false });
    if (!fresh) return { outcome: 'duplicate', ticketId: null, reason: null, changed: [], message: null };
    const reason = `${TOO_LARGE} ${o.size} bytes, over MAIL_MAX_BYTES (${o.max}): only its headers are kept — ask the sender for a smaller mail, or raise the limit`;
    this.d.logger.warn({ mailId: id, size: o.size, max: o.max }, 'mail too large: quarantined');
    await setMailOutcome(m, id, 'quarantined', null, reason);
    return { outcome: 'quarantined', ticketId: null, reason, changed: [], message: null };
  }

  /** Publishes what a committed `receive` changed and tells the outbox. */
  async afterCommit(r: Received): Promise<void> {
    for (const row of r.changed) this.d.tickets.published(row);
    if (!r.message || !r.ticketId) return;
    try {
      if (r.outcome === 'request') await this.d.onNewRequest?.(r.ticketId, r.message);
      if (r.outcome === 'reply') await this.d.onReply?.(r.ticketId, r.message);
    } catch (err) {
      this.d.logger.error({ err, ticketId: r.ticketId }, 'a mail hook failed');
    }
  }

  quarantine(): Promise<QuarantinedMail[]> {
    return quarantinedMail(this.d.ds);
  }

  quarantined(): Promise<number> {
    return quarantinedCount(this.d.ds);
  }

  /** Reads a quarantined message again (after a fix); it stays in quarantine, with the new reason, if it still cannot be read. */
  async retry(id: string): Promise<Received> {
    const r = await this.d.ds.transaction(async (m) => {
      const held = await lockQuarantined(m, id);
      if (!held) throw new NotFound('quarantined mail', id);
      // Only its headers were kept: reading them again would make a request of an empty mail.
      if (held.reason?.startsWith(TOO_LARGE)) return { outcome: 'quarantined' as const, ticketId: null, reason: held.reason, changed: [], message: null };
      return this.act(m, id, await parseMail(Buffer.from(held.raw), this.d.ownAddresses ?? []));
    });
    await this.afterCommit(r);
    return r;
  }

  async drop(id: string): Promise<void> {
    if (!(await dropQuarantined(this.d.ds, id))) throw new NotFound('quarantined mail', id);
  }

  private async act(m: EntityManager, id: string, parsed: Awaited<ReturnType<typeof parseMail>>): Promise<Received> {
    const done = async (outcome: MailOutcome, ticketId: string | null, reason: string | null, changed: TicketRow[] = [], message: IntakeMessage | null = null): Promise<Received> => {
      await setMailOutcome(m, id, outcome, ticketId, reason);
      return { outcome, ticketId, reason, changed, message };
    };
    if (!parsed.ok) {
      this.d.logger.warn({ mailId: id, reason: parsed.reason }, 'mail quarantined');
      return done('quarantined', null, parsed.reason);
    }
    if (parsed.bounce) return this.bounce(m, id, parsed, done);
    if (!parsed.classification.autoReplyAllowed) return done('ignored', null, parsed.classification.noAutoReplyBecause);
    const message: IntakeMessage = { id, messageId: parsed.messageId, from: parsed.from, fromName: parsed.fromName, subject: parsed.subject, autoReplyAllowed: true };
    const named = await this.namedRequest(m, parsed);
    if (named && OPEN_STATUSES.includes(named.status as (typeof OPEN_STATUSES)[number]) && (await senderBelongsTo(m, named.id, parsed.from))) {
      const row = await this.d.tickets.executeWithin(m, named.id, {
        type: 'customer_message',
        text: clip(parsed.text, TEXT_LIMITS.text),
        channel: 'email',
        messageId: parsed.messageId,
        notSolved: saysNotSolved(parsed.text),
      }, null);
      await this.keepAttachments(m, id, parsed);
      return done('reply', named.id, null, [row], message);
    }
    // Someone else's mail on a thread, or a closed request's: a new request, linked to the one it names.
    const changed = await this.newRequest(m, parsed, named?.id ?? null);
    await this.keepAttachments(m, id, parsed);
    return done('request', changed[0].id, null, changed, message);
  }

  /** The request a mail names: by the subject's tag, else by the Message-IDs it replies to. */
  private async namedRequest(m: EntityManager, parsed: ParsedMail): Promise<{ id: string; status: string } | null> {
    if (parsed.tagNumber) {
      const byTag = await requestByNumber(m, parsed.tagNumber);
      if (byTag) return byTag;
    }
    const id = await requestOfMessageIds(m, parsed.referencedIds);
    if (!id) return null;
    const rows = await m.query(`SELECT id, status FROM ticket WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  private async newRequest(m: EntityManager, parsed: ParsedMail, parentId: string | null): Promise<TicketRow[]> {
    const now = new Date();
    const [contact] = await findContacts(m, { email: parsed.from, limit: 1 });
    const domain = organisationDomain(parsed.from);
    const organisationId = contact?.organisation_id ?? (domain ? await organisationOfDomain(m, domain) : null);
    const description = parsed.text.trim() || parsed.cleanSubject || '(пустое письмо)';
    const draft = newDraft({
      id: randomUUID(),
      createdAt: now,
      channel: 'email',
      subject: clip(parsed.cleanSubject || '(без темы)', TEXT_LIMITS.subject),
      description: clip(description, TEXT_LIMITS.text),
      contactId: contact?.id ?? null,
      organisationId,
      parentId,
      assignees: [],
    });
    await insertDraft(m, draft, now, parsed.from);
    const row = await this.d.tickets.executeWithin(m, draft.id, { type: 'register' }, null);
    // The request it names hears of the new one in its journal (R4: linked_request) too.
    return parentId ? [row, await ticketRow(m, parentId)] : [row];
  }

  private async bounce(m: EntityManager, id: string, parsed: ParsedMail, done: (o: MailOutcome, t: string | null, r: string | null, c?: TicketRow[]) => Promise<Received>): Promise<Received> {
    const facts = parsed.bounce!;
    const ticketId = (facts.tagNumber ? (await requestByNumber(m, facts.tagNumber))?.id : null) ?? (await requestOfMessageIds(m, facts.originalIds));
    const reason = `delivery failed to ${facts.recipients.join(', ') || 'an unknown address'}`;
    for (const address of facts.recipients) await flagBouncedAddress(m, address, ticketId, reason);
    if (ticketId) {
      await appendJournal(m, ticketId, new Date(), null, [{ kind: 'mail_bounced', data: { addresses: facts.recipients, messageIds: facts.originalIds }, onBehalfOf: null, callId: null }]);
      return done('bounce', ticketId, reason, [await ticketRow(m, ticketId)]);
    }
    return done('bounce', null, reason);
  }

  private async keepAttachments(m: EntityManager, messageId: string, parsed: ParsedMail): Promise<void> {
    const max = this.d.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX;
    for (const a of parsed.attachments) {
      const size = a.content.length;
      await insertMailAttachment(m, { id: randomUUID(), messageId, filename: a.filename, contentType: a.contentType, size, content: size <= max ? a.content : null });
    }
  }
}
