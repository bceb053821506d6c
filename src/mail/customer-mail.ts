// Which changes of a request mail its customer, and what: an agent's reply («Ответить клиенту»),
// the completion notice (R7) with links to confirm or disagree, and — asked by the intake for a
// new e-mailed request — the acknowledgement with the number (R2) and a link to withdraw it.
// Each is queued in the transaction of the change it tells of.
import type { DataSource, EntityManager } from 'typeorm';
import { contactById } from '../db/customers';
import { threadMessageIds } from '../db/mail-outbox';
import { senderEmailOf, ticketRow } from '../db/ticket-store';
import type { StoredChange } from '../services/ticket-service';
import { Conflict, NotFound } from '../tickets/errors';
import { LINK_PLACEHOLDER, acknowledgementText, completionText, replyText, type Thread } from './compose';
import type { MailOutbox } from './outbox';

/** Messages of a request's thread calldesk did not send (the customer's, kept by the intake). */
export type ThreadSource = (m: EntityManager, ticketId: string) => Promise<{ messageId: string; at: Date }[]>;

export class CustomerMail {
  /** The intake plugs in the customer's messages, so that a mail answers the latest of either side. */
  received: ThreadSource | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: MailOutbox,
  ) {}

  /** `TicketService`'s `withinChange`: mails the change causes, queued in its transaction. */
  withinChange = async (m: EntityManager, c: StoredChange): Promise<void> => {
    const number = c.next.number;
    if (!number) return;
    for (const e of c.events) {
      if (e.kind === 'comment' && e.data.toCustomer) {
        const to = await customerEmail(m, c.next.contactId, c.next.id);
        if (!to) throw new Conflict('the request has no customer with an e-mail address to reply to', 'contactId');
        const text = replyText({ number, subject: c.next.subject }, e.data.text, c.agent?.name ?? null);
        await this.outbox.queue(m, { kind: 'reply', ticketId: c.next.id, to, number, subject: c.next.subject, text, thread: await this.thread(m, c.next.id) });
      }
      if (e.kind === 'status_changed' && e.data.to === 'completed' && c.next.solution) {
        const to = await customerEmail(m, c.next.contactId, c.next.id);
        if (!to) continue; // told by phone, as before e-mail
        const facts = { number, subject: c.next.subject, solution: c.next.solution };
        const text = completionText(facts, { confirm: `${LINK_PLACEHOLDER}?action=confirm`, disagree: `${LINK_PLACEHOLDER}?action=disagree` });
        await this.outbox.queue(m, {
          kind: 'completion',
          ticketId: c.next.id,
          to,
          number,
          subject: c.next.subject,
          text,
          thread: await this.thread(m, c.next.id),
          link: { actions: ['confirm', 'disagree'], completedAt: c.next.completedAt },
        });
      }
    }
  };

  /**
   * R2 by e-mail: the number of a new e-mailed request, in reply to the customer's mail, with a
   * link to withdraw it. Returns the acknowledgement's Message-ID, or null when the per-address
   * limit of automatic mails held it back.
   */
  async queueAcknowledgement(ticketId: string, o: { to: string; inReplyTo?: string | null; references?: string[] }, m?: EntityManager): Promise<string | null> {
    const run = async (m: EntityManager) => {
      const row = await ticketRow(m, ticketId);
      if (!row) throw new NotFound('request', ticketId);
      if (!row.number) throw new Conflict('a request is acknowledged once it is registered (it has no number yet)');
      const text = acknowledgementText({ number: row.number, subject: row.subject }, LINK_PLACEHOLDER);
      return this.outbox.queue(m, {
        kind: 'acknowledgement',
        ticketId,
        to: o.to,
        number: row.number,
        subject: row.subject,
        text,
        thread: { inReplyTo: o.inReplyTo ?? null, references: o.references ?? [] },
        link: { actions: ['withdraw'], completedAt: null },
      });
    };
    if (m) return run(m);
    const id = await this.ds.transaction(run);
    this.outbox.committed();
    return id;
  }

  /** The request's thread, ours and the customer's, oldest first: the new mail answers the latest. */
  private async thread(m: EntityManager, ticketId: string): Promise<Thread> {
    const all = [...(await threadMessageIds(m, ticketId)), ...((await this.received?.(m, ticketId)) ?? [])];
    all.sort((a, b) => a.at.getTime() - b.at.getTime());
    const ids = all.map((x) => x.messageId);
    return { inReplyTo: ids[ids.length - 1] ?? null, references: ids };
  }
}

/**
 * The customer's address: their contact's first e-mail; without one, the address whose mail opened
 * the request (a sender not in the directory was acknowledged there, and is answered there too).
 */
async function customerEmail(m: EntityManager, contactId: string | null, ticketId: string): Promise<string | null> {
  const contact = contactId ? await contactById(m, contactId) : null;
  return contact?.emails[0] ?? (await senderEmailOf(m, ticketId));
}
