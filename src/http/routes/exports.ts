// CSV exports for supervisors: calls and requests with the lists' filters, streamed page by page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, RawServerDefault, RouteHandlerMethod } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { CallQueries } from '../../db/call-queries';
import type { TicketQueries } from '../../db/ticket-queries';
import type { AgentDirectory } from '../../services/agent-directory';
import { CallListQuery } from '../../wire/call';
import { errorResponses } from '../../wire/common';
import { TicketListQuery } from '../../wire/ticket';
import { checkPeriod } from '../period';
import { allPages, csvStream, localTime } from '../csv';
import { normalizeQueryNumber } from '../query-number';

/**
 * Rows read per round trip: large enough to stream fast (a round trip and a query plan per page),
 * small enough to keep memory flat (a page of calls is about a megabyte; one is read ahead).
 */
const PAGE = 5000;
const WITHOUT_PAGING = ['cursor', 'limit'] as const;
const CallExportQuery = Type.Omit(CallListQuery, WITHOUT_PAGING, { additionalProperties: false });
const TicketExportQuery = Type.Omit(TicketListQuery, WITHOUT_PAGING, { additionalProperties: false });
type CallExportQuery = Static<typeof CallExportQuery>;
type TicketExportQuery = Static<typeof TicketExportQuery>;

const send = (reply: FastifyReply, name: string, body: NodeJS.ReadableStream) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`)
    .send(body);

const yes = (b: boolean) => (b ? 'да' : 'нет');

const JournalExportQuery = Type.Object(
  { since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);
type JournalExportQuery = Static<typeof JournalExportQuery>;

export function exportRoutes(app: FastifyInstance, deps: { calls: CallQueries; queries: TicketQueries; directory: AgentDirectory; timezone: string }): void {
  const csv = { 200: { description: 'text/csv: UTF-8 with BOM, `;`, CRLF, Moscow time', type: 'string' }, ...errorResponses };
  // Each export also answers at `/api/export/<what>.csv` (the same handler; listed once in the API description).
  const both = <R extends { Querystring: unknown }>(urls: [string, string], opts: { schema: Record<string, unknown> }, handler: RouteHandlerMethod<RawServerDefault, IncomingMessage, ServerResponse, R>) => {
    app.get<R>(urls[0], opts, handler);
    app.get<R>(urls[1], { schema: { ...opts.schema, hide: true } }, handler);
  };
  const login = (id: string) => deps.directory.byId(id)?.login ?? id;
  // The support time zone (the calendar's): what the supervisors' clocks say.
  const time = (at: string | Date | null) => localTime(at, deps.timezone);

  both<{ Querystring: CallExportQuery }>(
    ['/api/calls/export.csv', '/api/export/calls.csv'],
    { schema: { tags: ['calls'], summary: 'Supervisors: the calls as CSV, with the call log’s filters', querystring: CallExportQuery, response: csv } },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const filters = { ...q, callerNumber: normalizeQueryNumber(q.callerNumber), limit: PAGE };
      const header = ['Начало', 'Конец', 'Направление', 'Линия поддержки', 'Телефон', 'Имя', 'Набранный номер', 'Очередь', 'Итог', 'Ответил', 'Длительность, с', 'Вне рабочего времени', 'Номер заблокирован', 'Заявок'];
      const rows = allPages((cursor) => deps.calls.exportPage({ ...filters, cursor }, deps.timezone));
      return send(reply, 'calls', csvStream(header, rows, (c) => [
        c.startedAt,
        c.endedAt,
        c.direction,
        yes(c.supportLine),
        c.callerNumber,
        c.callerName,
        c.did ?? c.calledNumber,
        c.queue,
        c.outcome ?? '',
        (c.answeredBy ? deps.directory.byId(c.answeredBy)?.login : null) ?? c.answeredByExtension ?? '',
        c.seconds,
        yes(c.afterHours),
        yes(c.blocked),
        c.tickets,
      ]));
    },
  );

  both<{ Querystring: TicketExportQuery }>(
    ['/api/tickets/export.csv', '/api/export/tickets.csv'],
    { schema: { tags: ['tickets'], summary: 'Supervisors: the requests as CSV, with the list’s filters and views', querystring: TicketExportQuery, response: csv } },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const filters = { ...q, me: req.agent!.id, callerNumber: normalizeQueryNumber(q.callerNumber), limit: PAGE, noCount: true };
      const header = ['Номер', 'Статус', 'Приоритет', 'Канал', 'Тема', 'Клиент', 'Организация', 'Телефон', 'E-mail', 'Исполнители', 'Создана', 'Зарегистрирована', 'Выполнена', 'Закрыта', 'Причина закрытия', 'Версия у клиента', 'Исправлено в версии'];
      const rows = allPages((cursor) => deps.queries.list({ ...filters, cursor }));
      return send(reply, 'requests', csvStream(header, rows, (t) => [
        t.number,
        t.status,
        t.priority,
        t.channel,
        t.subject,
        t.customer?.name,
        t.customer?.organisationName,
        t.callerNumber,
        t.senderEmail,
        t.assignees.map(login).join(', '),
        time(t.createdAt),
        time(t.registeredAt),
        time(t.completedAt),
        time(t.closedAt),
        t.closeReason ?? t.discardReason ?? '',
        t.productVersion,
        t.fixedIn,
      ]));
    },
  );

  both<{ Querystring: JournalExportQuery }>(
    ['/api/tickets/journal.csv', '/api/export/journal.csv'],
    { schema: { tags: ['tickets'], summary: 'Supervisors: every request’s journal entries of a period as CSV, in the order written', querystring: JournalExportQuery, response: csv } },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      async function* pages() {
        let afterId: string | undefined;
        for (;;) {
          const page = await deps.queries.journalPage({ ...q, afterId, limit: PAGE });
          if (page.length === 0) return;
          yield page;
          afterId = page[page.length - 1].id;
        }
      }
      const header = ['Время', 'Заявка', 'Запись', 'Кто', 'От имени', 'Звонок', 'Подробности'];
      return send(reply, 'journal', csvStream(header, pages(), (e) => [
        time(e.at),
        e.ticketNumber ?? e.ticketId,
        e.kind,
        e.actor?.login ?? 'система',
        e.onBehalfOf === 'customer' ? 'клиента' : '',
        e.callId,
        JSON.stringify(e.data),
      ]));
    },
  );
}
