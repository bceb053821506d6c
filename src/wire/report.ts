// The reports (supervisors): call and request figures of a period, bucketed in the support time
// zone, as series for charts and the same figures for tables.
import { Type, type Static } from '@sinclair/typebox';
import { GROUP_BY } from '../supervision/report-period';
import { CHANNELS, CLOSE_REASONS, PRIORITIES } from '../tickets/vocabulary';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Int = Type.Integer({ minimum: 0 });
const NNum = Type.Union([Type.Number(), Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });

const Period = {
  /** Default: seven days before `until` (without either: the last seven whole days, today included). */
  since: Type.Optional(Type.String({ format: 'date-time' })),
  /** Default: the end of today in support time (now, when only `since` is given). */
  until: Type.Optional(Type.String({ format: 'date-time' })),
  /** Bucket size in the support time zone (weeks from Monday); default `day`; at most 2,000 buckets. */
  groupBy: Type.Optional(lit(GROUP_BY)),
};

export const CallReportQuery = Type.Object(
  {
    ...Period,
    /** Only calls that rang (or were answered by) this agent. */
    agentId: Type.Optional(Uuid),
    afterHours: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CallReportQuery = Static<typeof CallReportQuery>;

export const TicketReportQuery = Type.Object(
  {
    ...Period,
    priority: Type.Optional(lit(PRIORITIES)),
    channel: Type.Optional(lit(CHANNELS)),
    assignee: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type TicketReportQuery = Static<typeof TicketReportQuery>;

/** The supervisors' call figures (src/db/call-figures.ts): inbound support-line calls. */
export const CallFiguresBody = Type.Object({
  calls: Int,
  answered: Int,
  missed: Int,
  abandoned: Int,
  shortAbandoned: Int,
  /** Answered within the service-level time ÷ (answered + missed − short abandons), 0…1; null without calls. */
  serviceLevel: NNum,
  /** Mean wait to an agent's answer, seconds. */
  asaSeconds: NNum,
  /** Mean talk from answer to hang-up, seconds. */
  ahtSeconds: NNum,
});
export type CallFiguresBody = Static<typeof CallFiguresBody>;

const PeriodBody = {
  since: Type.String(),
  until: Type.String(),
  groupBy: lit(GROUP_BY),
  /** The support time zone the buckets are cut in. */
  timezone: Type.String(),
};

export const CallReportBody = Type.Object({
  ...PeriodBody,
  thresholds: Type.Object({ serviceLevelSeconds: Type.Number(), shortAbandonSeconds: Type.Number() }),
  total: CallFiguresBody,
  /** Every bucket of the period, empty ones as zeros; `start` has the zone's offset. */
  buckets: Type.Array(Type.Intersect([Type.Object({ start: Type.String() }), CallFiguresBody])),
  /** Hours of the day 0–23 (support time) across the period. */
  byHourOfDay: Type.Array(Type.Intersect([Type.Object({ hour: Int }), CallFiguresBody])),
  /** Each agent who answered or was rung: calls answered (their ASA, AHT) and calls that rang them unanswered. */
  byAgent: Type.Array(
    Type.Object({
      agentId: Type.String(),
      login: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
      answered: Int,
      asaSeconds: NNum,
      ahtSeconds: NNum,
      /** Calls that rang this agent's phone (or that they picked up). */
      rang: Int,
      /** Of those, calls they did not answer. */
      unanswered: Int,
    }),
  ),
});
export type CallReport = Static<typeof CallReportBody>;

const ClosedBy = Type.Object(Object.fromEntries(CLOSE_REASONS.map((r) => [r, Int])) as Record<(typeof CLOSE_REASONS)[number], typeof Int>);

export const TicketFiguresBody = Type.Object({
  /** Requests created (drafts from calls included). */
  created: Int,
  /** Journal entries of the period: registrations, completions, closings (by reason), reopenings. */
  registered: Int,
  completed: Int,
  closed: Int,
  closedBy: ClosedBy,
  reopened: Int,
});
export type TicketFigures = Static<typeof TicketFiguresBody>;

export const TicketReportBody = Type.Object({
  ...PeriodBody,
  total: Type.Intersect([
    TicketFiguresBody,
    /** Open requests (registered, not closed) when the period starts and when it ends. */
    Type.Object({ backlogAtStart: Int, backlogAtEnd: Int }),
  ]),
  /** Every bucket; `backlog`: requests open at the bucket's end. */
  buckets: Type.Array(Type.Intersect([Type.Object({ start: Type.String(), backlog: Int }), TicketFiguresBody])),
  /** Requests created in the period by priority and by channel (every value listed). */
  byPriority: Type.Array(Type.Object({ priority: lit(PRIORITIES), created: Int })),
  byChannel: Type.Array(Type.Object({ channel: lit(CHANNELS), created: Int })),
});
export type TicketReport = Static<typeof TicketReportBody>;
