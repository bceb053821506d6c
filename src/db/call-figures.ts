// The supervisors' call figures, defined once: the board's "today" tiles and the reports both
// aggregate with these expressions, over the same stored calls the call log lists.
//
// Which calls count: inbound calls to the support line, blocked callers' excluded (`FIGURE_CALLS`). Of those:
// - answered: an agent answered (the PBX's own answer, a voicemail greeting, is not one);
// - missed: ended without an agent's answer;
// - abandoned: missed because the caller gave up while waiting or ringing (no phone rang, or the
//   last one stopped because the caller left) — not rung out or sent to voicemail;
// - short abandon: an abandon within `shortAbandonSeconds` of the start (a wrong number, a redial);
// - service level: answered within `serviceLevelSeconds` ÷ (answered + missed − short abandons);
// - ASA: mean wait from the start to the first agent's answer; AHT: mean answer → hang-up.
import type { SupervisionThresholds } from '../supervision/thresholds';

/** The calls every figure is about (alias `c` for the call table). */
export const FIGURE_CALLS = `c.direction = 'inbound' AND c.support_line AND NOT c.blocked`;

const ANSWERED = `c.answered_at IS NOT NULL`;
const MISSED = `c.ended_at IS NOT NULL AND c.answered_at IS NULL`;
const ABANDONED = `${MISSED} AND (jsonb_array_length(c.legs) = 0 OR c.legs->-1->>'endReason' = 'caller_gone')`;
const WAIT = `extract(epoch FROM c.answered_at - c.started_at)`;
const HANDLE = `extract(epoch FROM c.ended_at - c.answered_at)`;

/** The counting columns, shared by the figures over calls and by the hourly sums. */
function countColumns(th: SupervisionThresholds): string[] {
  const short = `${ABANDONED} AND c.ended_at - c.started_at < make_interval(secs => ${Number(th.shortAbandonSeconds)})`;
  return [
    `count(*)::int AS calls`,
    `count(*) FILTER (WHERE ${ANSWERED})::int AS answered`,
    `count(*) FILTER (WHERE ${MISSED})::int AS missed`,
    `count(*) FILTER (WHERE ${ABANDONED})::int AS abandoned`,
    `count(*) FILTER (WHERE ${short})::int AS short_abandoned`,
    `count(*) FILTER (WHERE ${ANSWERED} AND ${WAIT} <= ${Number(th.serviceLevelSeconds)})::int AS answered_in_time`,
  ];
}

/** The aggregate columns of the figures, for a SELECT over `call c` (grouped or not). */
export function figureColumns(th: SupervisionThresholds): string {
  return [
    ...countColumns(th),
    `avg(${WAIT}) FILTER (WHERE ${ANSWERED})::float8 AS asa`,
    `avg(${HANDLE}) FILTER (WHERE ${ANSWERED} AND c.ended_at IS NOT NULL)::float8 AS aht`,
  ].join(', ');
}

/** The same figures as sums that add up across hours (report-aggregates.ts keeps them per hour). */
export function figureSumColumns(th: SupervisionThresholds): string {
  return [
    ...countColumns(th),
    `sum(${WAIT}) FILTER (WHERE ${ANSWERED})::float8 AS wait_sum`,
    `sum(${HANDLE}) FILTER (WHERE ${ANSWERED} AND c.ended_at IS NOT NULL)::float8 AS handle_sum`,
    `count(*) FILTER (WHERE ${ANSWERED} AND c.ended_at IS NOT NULL)::int AS handled`,
  ].join(', ');
}

/** The figures (as `figureColumns` names them) from rows of `figureSumColumns`, over `h`. */
export const FIGURES_OF_SUMS = [
  `coalesce(sum(h.calls), 0)::int AS calls`,
  `coalesce(sum(h.answered), 0)::int AS answered`,
  `coalesce(sum(h.missed), 0)::int AS missed`,
  `coalesce(sum(h.abandoned), 0)::int AS abandoned`,
  `coalesce(sum(h.short_abandoned), 0)::int AS short_abandoned`,
  `coalesce(sum(h.answered_in_time), 0)::int AS answered_in_time`,
  `(sum(h.wait_sum) / nullif(sum(h.answered), 0))::float8 AS asa`,
  `(sum(h.handle_sum) / nullif(sum(h.handled), 0))::float8 AS aht`,
].join(', ');

/** The call's own parts of the figures, for the by-agent sums (report-aggregates.ts). */
export const CALL_WAIT = `CASE WHEN ${ANSWERED} THEN ${WAIT} END`;
export const CALL_HANDLE = `CASE WHEN ${ANSWERED} AND c.ended_at IS NOT NULL THEN ${HANDLE} END`;
export const CALL_HANDLED = `(${ANSWERED} AND c.ended_at IS NOT NULL)::int`;
export const CALL_ANSWERED = `(${ANSWERED})::int`;

export interface FigureRow {
  calls: number;
  answered: number;
  missed: number;
  abandoned: number;
  short_abandoned: number;
  answered_in_time: number;
  asa: number | null;
  aht: number | null;
}

export interface CallFigures {
  calls: number;
  answered: number;
  missed: number;
  abandoned: number;
  shortAbandoned: number;
  /** 0…1, or null while no call has an outcome. */
  serviceLevel: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
}

/** Seconds to a tenth, as the figures show them. */
export const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function callFigures(r: FigureRow): CallFigures {
  const judged = r.answered + r.missed - r.short_abandoned;
  return {
    calls: r.calls,
    answered: r.answered,
    missed: r.missed,
    abandoned: r.abandoned,
    shortAbandoned: r.short_abandoned,
    serviceLevel: judged > 0 ? Math.round((r.answered_in_time / judged) * 1000) / 1000 : null,
    asaSeconds: round1(r.asa),
    ahtSeconds: round1(r.aht),
  };
}
