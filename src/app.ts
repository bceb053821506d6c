// The composition root: builds every part and wires the edges (HTTP, WebSocket, AMI) to the core.
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { LoginLimiter, type LoginLimits } from './auth/login-limiter';
import { SessionService } from './auth/sessions';
import { loadBusinessCalendar } from './config/calendar-files';
import type { BusinessCalendar } from './calendar/business-calendar';
import type { Config } from './config/config';
import { CallStore } from './db/call-store';
import { PbxFences } from './db/pbx-lock';
import { decideCallOps } from './ingest/call-request-changes';
import { initializeWithRetry } from './db/connect';
import { YoungTables } from './db/young-tables';
import { createDataSource } from './db/data-source';
import { runMigrations } from './db/migrate';
import { reachable } from './db/query';
import { installAuth } from './http/auth';
import { frameworkErrors, installErrorHandler } from './http/error-handler';
import { installValidation } from './http/validation';
import { agentRoutes } from './http/routes/agents';
import { auditRoutes } from './http/routes/audit';
import { AuditLog } from './db/audit-log';
import { blockedNumberRoutes } from './http/routes/blocked-numbers';
import { exportRoutes } from './http/routes/exports';
import { customerRoutes } from './http/routes/customers';
import { callRoutes } from './http/routes/calls';
import { healthRoutes } from './http/routes/health';
import { sessionRoutes } from './http/routes/session';
import { ticketRoutes } from './http/routes/tickets';
import { uiRoutes } from './http/routes/ui';
import { PbxIngest } from './ingest/pbx-ingest';
import { AutoCloser } from './jobs/auto-close';
import type { ReportAggregates } from './db/report-aggregates';
import { startJobQueue } from './jobs/job-queue';
import { scheduleReportSums } from './jobs/report-sums';
import { IngestPipeline } from './ingest/pipeline';
import { createMetrics, type Metrics } from './metrics';
import { Hub } from './realtime/hub';
import { Fanout } from './realtime/fanout';
import { pbxStatusMessage, snapshotMessage } from './realtime/messages';
import { wsOptions, wsRoute } from './realtime/ws-route';
import { AgentDirectory } from './services/agent-directory';
import { AgentService } from './services/agent-service';
import { BlockedNumbers } from './services/blocked-numbers';
import { CallQueries } from './db/call-queries';
import type { BoardService } from './services/board-service';
import { buildSupervision } from './supervision-wiring';
import { CallerLookup } from './db/caller-lookup';
import { TicketQueries } from './db/ticket-queries';
import { TicketService } from './services/ticket-service';
import { CustomerService } from './services/customer-service';
import { RecordingFiles } from './services/recording-files';
import { ticketView } from './views/ticket-view';
import { buildMailOut, type MailOut, type MailOutTimings } from './mail/mail-out';
import { customerLinkRoutes } from './http/routes/customer-links';
import { ticketMailRoutes } from './http/routes/ticket-mails';
import { joinMail, mailRoutes, type MailChannel, type MailOptions } from './mail-wiring';

export interface AppOptions {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  /** Directory of the business calendar data (default: config/calendar). */
  calendarDir?: string;
  loginLimits?: LoginLimits;
  /** Set false to serve without connecting to any PBX (tests of the HTTP side). */
  connectPbx?: boolean;
  /** Set false to run no background jobs (tests that drive them by hand). */
  jobs?: boolean;
  /** Facts waiting to be written beyond which reading of the PBX pauses (back-pressure); default 20 000. */
  ingestHighWater?: number;
  /** The outbox's poll, lease and retry times (tests shorten them). */
  mailTimings?: MailOutTimings;
  /** The e-mail channel's hooks (the outbox's) and test knobs; the channel exists when MAIL_IMAP_URL is set. */
  mail?: MailOptions;
}

export interface CalldeskApp {
  http: FastifyInstance;
  ds: DataSource;
  hub: Hub;
  pipeline: IngestPipeline;
  pbx: PbxIngest[];
  metrics: Metrics;
  calendar: BusinessCalendar;
  directory: AgentDirectory;
  /** The blocked numbers this instance judges calls against. */
  blockedNumbers: BlockedNumbers;
  tickets: TicketService;
  autoCloser: AutoCloser;
  board: BoardService;
  /** The reports' hourly sums (kept by a job; tests extend them by hand). */
  reportSums: ReportAggregates;
  /** Outgoing mail (null without MAIL_SMTP_URL). */
  mail: MailOut | null;
  /** The e-mail intake, when a mailbox is configured (MAIL_IMAP_URL). */
  mailIn: MailChannel | null;
  /** Connects to the PBXs (after the HTTP side is up). */
  startIngest(): Promise<void>;
  /** Stops everything (once; later calls wait for the first). */
  close(): Promise<void>;
}

export async function buildApp(o: AppOptions): Promise<CalldeskApp> {
  const { config, logger } = o;
  const ds = createDataSource(o.databaseUrl);
  await initializeWithRetry(ds, logger.child({ module: 'db' }));
  const ran = await runMigrations(ds);
  if (ran.length) logger.info({ migrations: ran }, 'migrations applied');

  const { calendar, warnings } = await loadBusinessCalendar(o.calendarDir ?? path.resolve('config/calendar'), {
    timezone: config.tzSupport,
    hours: config.businessHours,
    now: new Date(),
  });
  for (const w of warnings) logger.warn({ module: 'calendar' }, w);

  const metrics = createMetrics();
  const directory = new AgentDirectory(ds);
  await directory.reload();
  const agents = new AgentService(ds, directory);
  await agents.ensureAdmin(config.adminLogin, config.adminPassword, logger);
  const sessions = new SessionService(ds, config.sessionHours);
  const hub = new Hub();
  // Each PBX's lease token: a batch writes a PBX's calls only while this instance holds it.
  const fences = new PbxFences();
  const store = new CallStore(ds, (ops, drafts, callIdOf) => decideCallOps(ops, drafts, callIdOf, calendar), fences);
  const callQueries = new CallQueries(ds, directory);
  const ticketQueries = new TicketQueries(ds);
  // Loaded before any PBX is read, so the first calls are judged against the stored blocks.
  const blocked = new BlockedNumbers(ds, logger.child({ module: 'blocked-numbers' }));
  await blocked.start(o.databaseUrl);

  let pbx: PbxIngest[] = [];
  const callers = new CallerLookup(ds);
  // PBXs ingested by another instance: their status as that instance last told us.
  const remotePbx = new Map<string, boolean>();
  const fanout = new Fanout(
    hub,
    o.databaseUrl,
    (sql, params) => ds.query(sql, params),
    {
      call: (id) => callQueries.get(id),
      ticket: async (id) => {
        const row = await ticketQueries.row(id);
        return row ? ticketView(row) : null;
      },
      caller: async (callId) => {
        const c = await callQueries.get(callId);
        return callers.lookup(c?.callerNumber ?? null, c?.linkedid);
      },
    },
    logger.child({ module: 'fanout' }),
    (m) => {
      if (m.type === 'pbx.status') for (const p of m.pbx) remotePbx.set(p.id, p.connected);
    },
  );
  const pbxStatus = () =>
    pbx.map((p) => {
      const s = p.status();
      return { ...s, connected: s.ingesting ? s.connected : (remotePbx.get(p.id) ?? false) };
    });
  const pbxConnections = () => pbxStatus().map(({ id, connected, lastEventAt }) => ({ id, connected, lastEventAt }));
  // Only the instance ingesting a PBX speaks of it; the others relay what it says.
  const publishPbxStatus = () =>
    fanout.publish({ everyone: true }, pbxStatusMessage(pbx.filter((p) => p.ingesting).map((p) => ({ id: p.id, connected: p.status().connected }))));
  const youngTables = new YoungTables({ ds, logger: logger.child({ module: 'db' }) });
  await youngTables.start();
  const pipeline = new IngestPipeline({
    highWater: o.ingestHighWater,
    onWritten: (calls) => youngTables.written(calls),
    store,
    directory,
    publisher: fanout,
    logger: logger.child({ module: 'ingest' }),
    onPressure: (paused) => {
      metrics.backPressure.set(paused ? 1 : 0);
      for (const p of pbx) paused ? p.pause() : p.resume();
    },
  });
  pipeline.popWatchers.add((w) => metrics.observePop(w));
  const mail = buildMailOut(ds, config, logger, o.mailTimings);
  const tickets = new TicketService({
    ds,
    calendar,
    directory,
    queries: ticketQueries,
    onChange: (row) => {
      pipeline.publishTicket(row);
      mail?.outbox.committed();
    },
    withinChange: mail?.customerMail.withinChange,
  });
  const supervision = buildSupervision({
    ds,
    hub,
    directory,
    calendar,
    tickets,
    ticketQueries,
    instanceId: fanout.instanceId,
    pbxStatus: pbxConnections,
    publishTicket: (row) => pipeline.publishTicket(row),
    settings: config.supervision,
    logger,
  });
  const { board } = supervision;
  const { mailIn, mailHealth } = joinMail(mail, { config, ds, tickets, logger, options: o.mail });
  const autoCloser = new AutoCloser(ds, tickets, logger.child({ module: 'auto-close' }));
  const jobs = o.jobs === false ? null : [autoCloser.schedule.bind(autoCloser), scheduleReportSums(supervision.reportSums, logger)];
  const boss = jobs && (await startJobQueue(o.databaseUrl, logger, jobs));
  pbx = config.pbx.map(
    (p) =>
      new PbxIngest({
        pbx: p,
        supportNumbers: config.supportNumbers,
        isAfterHours: (at) => !calendar.isOpen(at),
        isBlocked: blocked.isBlocked,
        pipeline,
        store,
        metrics,
        logger,
        onStatus: publishPbxStatus,
        onPause: (p) => board.queuePause(p),
        onPauseSnapshot: (id, pauses, at) => board.queuePauses(id, pauses, at),
        databaseUrl: o.databaseUrl,
        fences,
      }),
  );

  const http: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Only a configured proxy may say who the client is: a forged X-Forwarded-For must not give
    // a password guesser a fresh address for every try.
    trustProxy: config.trustProxy ?? false,
    frameworkErrors,
  });
  installErrorHandler(http);
  installValidation(http);
  await http.register(cookie);
  await http.register(helmet, { contentSecurityPolicy: false });
  await http.register(swagger, {
    openapi: {
      info: { title: 'calldesk API', version: '1', description: 'Support-line calls and the request journal' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await http.register(swaggerUi, { routePrefix: '/docs' });
  await http.register(websocket, { options: wsOptions });
  installAuth(http, sessions);

  const db = () => reachable(ds, 2000);
  healthRoutes(http, {
    metrics,
    metricsToken: config.metricsToken,
    health: { db, pbx: pbxConnections, backPressure: () => pipeline.stats.paused, mail: mailHealth },
  });
  sessionRoutes(http, { ds, sessions, agents, limiter: new LoginLimiter(ds, o.loginLimits), sessionHours: config.sessionHours });
  agentRoutes(http, { agents, sessions });
  auditRoutes(http, { audit: new AuditLog(ds) });
  // Before the routes with `:id` in the same place, so `export.csv` is not taken for an id.
  exportRoutes(http, { calls: callQueries, queries: ticketQueries, directory, timezone: calendar.timezone });
  callRoutes(http, { calls: callQueries, recordings: new RecordingFiles(config.recordingsDir ? path.resolve(config.recordingsDir) : null) });
  supervision.routes(http);
  blockedNumberRoutes(http, { blocked });
  ticketRoutes(http, { tickets, queries: ticketQueries, calls: callQueries, mailsCustomers: mail !== null });
  customerRoutes(http, { customers: new CustomerService(ds) });
  await http.register(customerLinkRoutes({ ds, tickets }));
  ticketMailRoutes(http, { ds });
  mailRoutes(http, mailIn, ds);
  await http.register(uiRoutes);
  wsRoute(http, hub, {
    onOpen: (n) => metrics.openSockets.set(n),
    board: (send) => board.sendTo(send),
    snapshot: async (agent) => {
      const staff = agent.role !== 'agent';
      // A screen pop sent ahead of the batch storing its leg: read once that batch is written
      // (bounded, so a database that is away fails the snapshot as before instead of hanging it).
      await Promise.race([pipeline.settled(), new Promise((r) => setTimeout(r, 5000).unref())]);
      const calls = await callQueries.live(staff ? null : agent.id);
      const callIds = calls.map((c) => c.id);
      const drafts = await ticketQueries.snapshotDrafts(callIds, staff ? null : agent.id);
      return snapshotMessage(calls, drafts, pbxStatus());
    },
  });

  if (mailHealth) metrics.setMailSource(mailHealth);
  metrics.refresh = () => {
    metrics.writeQueue.set(pipeline.stats.pending);
    for (const p of pbx) metrics.liveCalls.labels(p.id).set(p.liveCount());
  };
  void fanout.listen();
  board.start();
  mail?.start();
  const directoryTimer = setInterval(() => directory.reload().catch(() => undefined), 30_000);
  directoryTimer.unref();

  let started = false;
  let closing: Promise<void> | null = null;
  return {
    http,
    ds,
    hub,
    pipeline,
    pbx,
    metrics,
    calendar,
    directory,
    blockedNumbers: blocked,
    tickets,
    autoCloser,
    board,
    reportSums: supervision.reportSums,
    mail,
    mailIn,
    async startIngest() {
      mailIn?.intake.start();
      if (o.connectPbx === false || started) return;
      started = true;
      for (const p of pbx) await p.start();
    },
    close() {
      return (closing ??= shutdown());
    },
  };

  async function shutdown(): Promise<void> {
    clearInterval(directoryTimer);
    for (const p of pbx) await p.stop();
    await mailIn?.intake.stop();
    await fanout.stop();
    await blocked.stop();
    await mail?.stop();
    // Write what is pending, but do not hang the shutdown on a database that is gone.
    await Promise.race([pipeline.drain().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    await http.close();
    await board.stop();
    await boss?.stop({ graceful: true, wait: true }).catch(() => undefined);
    await ds.destroy();
  }
}
