// The supervisors' part of the service, built and routed in one place: the live board, the review
// queue, surges and incidents, and the reports — with the thresholds an installation configured
// (config `supervision`) over the design's defaults.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { BusinessCalendar } from './calendar/business-calendar';
import type { Config } from './config/config';
import { BoardQueries } from './db/board-queries';
import { CallReports } from './db/call-reports';
import { PresenceStore } from './db/presence';
import { ReportAggregates } from './db/report-aggregates';
import { ReviewQueries } from './db/review-queries';
import type { TicketRow } from './db/rows';
import type { TicketQueries } from './db/ticket-queries';
import { TicketReports } from './db/ticket-reports';
import { boardRoutes } from './http/routes/board';
import { incidentRoutes } from './http/routes/incidents';
import { reportRoutes } from './http/routes/reports';
import { reviewRoutes } from './http/routes/review';
import type { Hub } from './realtime/hub';
import type { AgentDirectory } from './services/agent-directory';
import { BoardService, type PbxConnection } from './services/board-service';
import { IncidentService } from './services/incident-service';
import { ReviewService } from './services/review-service';
import { SurgeWatch } from './services/surge-watch';
import type { TicketService } from './services/ticket-service';
import { DEFAULT_REVIEW_THRESHOLDS } from './supervision/review';
import { DEFAULT_SURGE_THRESHOLDS } from './supervision/surge';
import { DEFAULT_THRESHOLDS } from './supervision/thresholds';

export interface SupervisionDeps {
  ds: DataSource;
  hub: Hub;
  directory: AgentDirectory;
  calendar: BusinessCalendar;
  tickets: TicketService;
  ticketQueries: TicketQueries;
  /** This process (its sockets' presence rows carry it). */
  instanceId: string;
  /** Every configured PBX's connection (the board shows each). */
  pbxStatus: () => PbxConnection[];
  publishTicket: (row: TicketRow) => void;
  settings: Config['supervision'];
  logger: Logger;
}

export function buildSupervision(d: SupervisionDeps) {
  const s = d.settings ?? {};
  const figures = { ...DEFAULT_THRESHOLDS, ...pick(s, ['shortAbandonSeconds', 'serviceLevelSeconds']) };
  const reviewThresholds = { ...DEFAULT_REVIEW_THRESHOLDS, ...s.review };
  const reportSums = new ReportAggregates(d.ds, figures);
  const surges = new SurgeWatch(d.ds, { ...DEFAULT_SURGE_THRESHOLDS, ...s.surge });
  const board = new BoardService({
    queries: new BoardQueries(d.ds, figures),
    pbx: d.pbxStatus,
    presence: new PresenceStore(d.ds),
    directory: d.directory,
    hub: d.hub,
    instanceId: d.instanceId,
    timezone: d.calendar.timezone,
    surges,
    logger: d.logger.child({ module: 'board' }),
  });
  const review = new ReviewService({
    ds: d.ds,
    queries: new ReviewQueries(d.ds, reviewThresholds),
    calendar: d.calendar,
    thresholds: reviewThresholds,
    tickets: d.tickets,
    surges,
    logger: d.logger.child({ module: 'review' }),
    // The request rules' clock (tests walk business time through it).
    now: () => d.tickets.clock(),
  });
  const incidents = new IncidentService({ ds: d.ds, tickets: d.tickets, queries: d.ticketQueries, publish: d.publishTicket });
  return {
    board,
    review,
    reportSums,
    incidents,
    routes(http: FastifyInstance): void {
      boardRoutes(http, { board });
      reviewRoutes(http, { review });
      incidentRoutes(http, { incidents });
      reportRoutes(http, {
        calls: new CallReports(d.ds, figures, reportSums),
        tickets: new TicketReports(d.ds, reportSums),
        directory: d.directory,
        thresholds: figures,
        timezone: d.calendar.timezone,
      });
    },
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
