// Reports for supervisors and admins: the call and request figures of a period, in buckets of the
// support time zone (series for the charts of `/reports`, and for anyone's own tables).
import type { FastifyInstance } from 'fastify';
import type { CallReports } from '../../db/call-reports';
import type { TicketReports } from '../../db/ticket-reports';
import type { AgentDirectory } from '../../services/agent-directory';
import { reportPeriod, zonedIso, type ReportPeriod } from '../../supervision/report-period';
import type { SupervisionThresholds } from '../../supervision/thresholds';
import { errorResponses } from '../../wire/common';
import { CallReportBody, CallReportQuery, TicketReportBody, TicketReportQuery, type CallReport, type TicketReport } from '../../wire/report';
import { badRequest } from '../errors';
import { checkPeriod } from '../period';

export interface ReportRouteDeps {
  calls: CallReports;
  tickets: TicketReports;
  directory: AgentDirectory;
  thresholds: SupervisionThresholds;
  timezone: string;
  now?: () => Date;
}

export function reportRoutes(app: FastifyInstance, deps: ReportRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  /** The period asked for, checked (400 naming `until` or `groupBy`), with its buckets. */
  const periodOf = (q: { since?: string; until?: string; groupBy?: ReportPeriod['groupBy'] }, at: Date): ReportPeriod => {
    checkPeriod(q);
    const answer = reportPeriod(q, at, deps.timezone);
    if (!answer.ok) throw badRequest(answer.message, answer.field);
    return answer.period;
  };
  const periodBody = (p: ReportPeriod) => ({ since: zonedIso(p.since, p.timezone), until: zonedIso(p.until, p.timezone), groupBy: p.groupBy, timezone: p.timezone });

  app.get<{ Querystring: CallReportQuery }>(
    '/api/reports/calls',
    {
      schema: {
        tags: ['reports'],
        summary: 'Supervisors: support-line calls of a period — answered, missed, abandoned, service level, ASA, AHT — per bucket, by hour of the day and by agent',
        querystring: CallReportQuery,
        response: { 200: CallReportBody, ...errorResponses },
      },
    },
    async (req): Promise<CallReport> => {
      const { agentId, afterHours, ...period } = req.query;
      const p = periodOf(period, now());
      const r = await deps.calls.report(p, { agentId, afterHours });
      return {
        ...periodBody(p),
        thresholds: { serviceLevelSeconds: deps.thresholds.serviceLevelSeconds, shortAbandonSeconds: deps.thresholds.shortAbandonSeconds },
        total: r.total,
        buckets: r.buckets,
        byHourOfDay: r.byHourOfDay,
        byAgent: r.byAgent.map((a) => {
          const who = deps.directory.byId(a.agentId);
          return { ...a, login: who?.login ?? null, name: who?.name ?? null };
        }),
      };
    },
  );

  app.get<{ Querystring: TicketReportQuery }>(
    '/api/reports/tickets',
    {
      schema: {
        tags: ['reports'],
        summary: 'Supervisors: requests of a period — created, registered, completed, closed by reason, reopened, the backlog — per bucket, by priority and by channel',
        querystring: TicketReportQuery,
        response: { 200: TicketReportBody, ...errorResponses },
      },
    },
    async (req): Promise<TicketReport> => {
      const { priority, channel, assignee, ...period } = req.query;
      const at = now();
      const p = periodOf(period, at);
      return { ...periodBody(p), ...(await deps.tickets.report(p, { priority, channel, assignee }, at)) };
    },
  );
}
