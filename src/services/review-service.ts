// The review queue: the rules' current items (db/review-queries.ts finds candidates; business-time
// rules are checked against the calendar here), less those a supervisor resolved; resolving one
// is recorded with its note and, for a request, journaled on it as a comment.
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ReviewCandidate, ReviewQueries } from '../db/review-queries';
import { conflict, notFound } from '../http/errors';
import { businessDeadline, reviewItemId, type ReviewItem, type ReviewThresholds } from '../supervision/review';
import type { AuthAgent } from '../auth/sessions';
import type { TicketService } from './ticket-service';
import type { SurgeWatch } from './surge-watch';

export interface ReviewServiceDeps {
  ds: DataSource;
  queries: ReviewQueries;
  calendar: BusinessCalendar;
  thresholds: ReviewThresholds;
  tickets: TicketService;
  logger: Logger;
  /** A surge is an item while it lasts. */
  surges: SurgeWatch;
  now?: () => Date;
}

/** The words a resolution is journaled with on the request (the journal is in the support team's language). */
const KIND_WORDS: Record<ReviewItem['kind'], string> = {
  answered_without_request: 'отвеченный звонок без заявки',
  thin_description: 'короткое описание',
  critical_not_started: 'критическая заявка не взята в работу',
  callback_overdue: 'просрочен перезвон',
  reopened_twice: 'заявку открывали повторно',
  call_gap: 'разрыв связи с АТС во время звонка',
  unassigned: 'заявка без исполнителя',
  customer_unanswered: 'клиент ждёт ответа',
  mail_quarantined: 'письмо в карантине',
  surge: 'всплеск звонков',
};

export class ReviewService {
  constructor(private readonly d: ReviewServiceDeps) {}

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  async items(): Promise<ReviewItem[]> {
    const now = this.now();
    const found = (await this.d.queries.candidates(now)).map((c) => this.item(c)).filter((i): i is ReviewItem => i !== null && i.since <= now);
    const surge = await this.d.surges.current(now);
    const all = surge
      ? [...found, { id: reviewItemId('surge', surge.firstCallId), kind: 'surge' as const, since: surge.since, callId: surge.firstCallId, ticketId: null, detail: { calls: surge.calls, numbers: surge.numbers } }]
      : found;
    const resolved = await this.d.queries.resolved(all.map((i) => i.id));
    return all.filter((i) => !resolved.has(i.id)).sort((a, b) => a.since.getTime() - b.since.getTime());
  }

  /** A candidate as an item: its id and since when it needs a look. */
  private item(c: ReviewCandidate): ReviewItem | null {
    const th = this.d.thresholds;
    const add = (start: Date, ms: number) => this.d.calendar.addSupportTime(start, ms);
    const detail = { ticketNumber: c.ticketNumber, callerNumber: c.callerNumber };
    const base = { kind: c.kind, callId: c.callId, ticketId: c.ticketId };
    const subject = (c.ticketId ?? c.callId ?? c.mailId)!;
    switch (c.kind) {
      case 'answered_without_request':
        return { ...base, id: reviewItemId(c.kind, subject), since: new Date(c.at.getTime() + th.draftAfterCallMinutes * 60_000), detail };
      case 'critical_not_started':
        return { ...base, id: reviewItemId(c.kind, subject), since: businessDeadline(add, c.at, th.criticalStartBusinessMinutes), detail };
      case 'unassigned':
        return { ...base, id: reviewItemId(c.kind, subject), since: businessDeadline(add, c.at, th.unassignedBusinessMinutes), detail };
      case 'customer_unanswered':
        // The time the customer wrote names the item: writing again after an answer is news again.
        return {
          ...base,
          id: reviewItemId(c.kind, subject, Math.floor(c.at.getTime() / 1000)),
          since: businessDeadline(add, c.at, th.customerUnansweredBusinessMinutes),
          detail: { ...detail, customerWroteAt: c.at.toISOString() },
        };
      case 'thin_description':
        return { ...base, id: reviewItemId(c.kind, subject), since: c.at, detail: { ...detail, descriptionLength: c.descriptionLength } };
      case 'callback_overdue':
        return { ...base, id: reviewItemId(c.kind, subject), since: c.at, detail: { ...detail, dueAt: c.dueAt?.toISOString() } };
      case 'reopened_twice':
        return { ...base, id: reviewItemId(c.kind, subject, c.reopened), since: c.at, detail: { ...detail, reopened: c.reopened } };
      case 'mail_quarantined':
        return { ...base, id: reviewItemId(c.kind, subject), since: c.at, detail: { from: c.from ?? null, reason: c.reason ?? null } };
      case 'call_gap':
      case 'surge':
        return { ...base, id: reviewItemId(c.kind, subject), since: c.at, detail };
    }
  }

  /** Resolves a current item with a note; journaled on its request. 404 when no such item needs a look now. */
  async resolve(itemId: string, note: string, agent: AuthAgent): Promise<void> {
    const item = (await this.items()).find((i) => i.id === itemId);
    if (!item) {
      const done = await this.d.queries.resolved([itemId]);
      if (done.size > 0) throw conflict('this item was resolved already', { error: 'already_resolved' });
      throw notFound('review item');
    }
    const at = this.now();
    const stored = await this.d.ds.transaction((m) =>
      this.d.queries.resolve(m, { itemId, kind: item.kind, callId: item.callId, ticketId: item.ticketId, note, by: agent.id, at }),
    );
    if (!stored) throw conflict('this item was resolved already', { error: 'already_resolved' });
    if (item.ticketId) {
      // The request's journal tells what the supervisor found and did.
      await this.d.tickets
        .execute(item.ticketId, { type: 'comment', text: `Разбор руководителя (${KIND_WORDS[item.kind]}): ${note}` }, agent)
        .catch((err) => this.d.logger.warn({ err, itemId }, 'the resolution could not be journaled on its request'));
    }
  }
}
