// `/reports` (supervisors, admins): the period and its step kept in the address; calls per period
// (answered, missed, abandoned), service level, ASA and AHT, calls by hour of the day, the agents;
// requests created, registered, completed, closed (by reason), reopened, the backlog, by priority
// and channel. Every chart is followed by its figures as a table.
import { h, type ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import type { CallReport, TicketReport } from '../../../wire/report';
import { api } from '../api';
import { moscowDayStart } from '../format';
import { t, type Key } from '../i18n';
import type { PageProps } from '../store';
import { Chart, type ChartSeries } from './chart';
import { filter } from './filter';
import { useReadFor } from './read-for';
import { figure, percent, ReportTable } from './report-table';

const GROUP_BY = ['hour', 'day', 'week', 'month'] as const;
type GroupBy = (typeof GROUP_BY)[number];
interface ReportQuery {
  from?: string;
  to?: string;
  groupBy?: GroupBy;
}

function readQuery(q: Record<string, string>): ReportQuery {
  const day = (v?: string) => (v && /^\d{4}-\d\d-\d\d$/.test(v) ? v : undefined);
  return { from: day(q.from), to: day(q.to), groupBy: GROUP_BY.find((g) => g === q.groupBy) };
}

const url = (q: ReportQuery) => {
  const p = new URLSearchParams();
  for (const k of ['from', 'to', 'groupBy'] as const) if (q[k]) p.set(k, q[k]!);
  const s = p.toString();
  return s ? `/reports?${s}` : '/reports';
};

const apiParams = (q: ReportQuery) => ({
  since: q.from ? moscowDayStart(q.from) : undefined,
  until: q.to ? moscowDayStart(q.to, 1) : undefined,
  groupBy: q.groupBy,
});

/** A bucket's start as the supervisor reads it (the server writes it in Moscow time with its offset). */
function bucketLabel(start: string, groupBy: GroupBy): string {
  const [, y, mo, d, hh] = /^(\d{4})-(\d\d)-(\d\d)T(\d\d)/.exec(start) ?? [];
  if (groupBy === 'hour') return `${d}.${mo} ${hh}:00`;
  if (groupBy === 'month') return `${mo}.${y}`;
  return `${d}.${mo}.${y}`;
}

/** `yyyy-mm-dd` of an instant in Moscow time (the server's period, shown in the date pickers). */
const moscowDay = (iso: string, minusMs = 0) => new Date(Date.parse(iso) - minusMs + 3 * 3600_000).toISOString().slice(0, 10);

const COLORS = { answered: '#1f7a3a', missed: '#b3261e', abandoned: '#9a5b00', sl: '#1d5bbf', asa: '#0e7c66', aht: '#6b4fbb', created: '#1d5bbf', registered: '#0e7c66', completed: '#1f7a3a', closed: '#5b6470', reopened: '#b3261e', backlog: '#9a5b00' };
const series = (key: keyof typeof COLORS, label: Key, values: (number | null)[]): ChartSeries => ({ label: t(label), values, color: COLORS[key] });

function Section({ title, hint, children }: { title: string; hint?: string; children?: ComponentChildren }) {
  return h('section', { class: 'report-section' }, h('h2', null, title), hint && h('p', { class: 'hint' }, hint), children);
}

/** The x values of a report's buckets (unix seconds) and how a chart names them. */
function bucketAxis(r: { buckets: { start: string }[]; groupBy: GroupBy }) {
  const x = r.buckets.map((b) => Date.parse(b.start) / 1000);
  const names = new Map(r.buckets.map((b, i) => [x[i], bucketLabel(b.start, r.groupBy).replace(/\.\d{4}$/, (y) => (r.groupBy === 'month' ? y : ''))]));
  return { x, xLabel: (v: number) => names.get(v) ?? '' };
}

function CallSections({ r }: { r: CallReport }) {
  const { x, xLabel } = bucketAxis(r);
  const label = (b: { start: string }) => bucketLabel(b.start, r.groupBy);
  const head = (keys: Key[]) => [t('rep_period'), ...keys.map((k) => t(k))];
  const tot = r.total;
  return h(
    'div',
    null,
    h(
      Section,
      { title: t('rep_calls') },
      h(Chart, { title: t('rep_calls'), x, time: true, xLabel, counts: true, testId: 'chart-calls', series: [series('answered', 'rep_answered', r.buckets.map((b) => b.answered)), series('missed', 'rep_missed', r.buckets.map((b) => b.missed)), series('abandoned', 'rep_abandoned', r.buckets.map((b) => b.abandoned))] }),
      h(ReportTable, {
        testId: 'table-calls',
        caption: t('rep_calls'),
        head: head(['rep_calls_count', 'rep_answered', 'rep_missed', 'rep_abandoned', 'rep_short']),
        rows: r.buckets.map((b) => ({ key: b.start, cells: [label(b), b.calls, b.answered, b.missed, b.abandoned, b.shortAbandoned] })),
        total: [tot.calls, tot.answered, tot.missed, tot.abandoned, tot.shortAbandoned],
        totalLabel: t('rep_total'),
      }),
    ),
    h(
      Section,
      { title: t('rep_sl'), hint: t('rep_sl_hint', { sl: r.thresholds.serviceLevelSeconds, short: r.thresholds.shortAbandonSeconds }) },
      h(Chart, { title: t('rep_sl'), x, time: true, xLabel, testId: 'chart-sl', yValue: (v) => `${Math.round(v * 100)} %`, series: [series('sl', 'rep_sl', r.buckets.map((b) => b.serviceLevel))] }),
      h(ReportTable, { testId: 'table-sl', caption: t('rep_sl'), head: head(['rep_sl']), rows: r.buckets.map((b) => ({ key: b.start, cells: [label(b), percent(b.serviceLevel)] })), total: [percent(tot.serviceLevel)], totalLabel: t('rep_total') }),
    ),
    h(
      Section,
      { title: t('rep_speed') },
      h(Chart, { title: t('rep_speed'), x, time: true, xLabel, testId: 'chart-speed', series: [series('asa', 'rep_asa', r.buckets.map((b) => b.asaSeconds)), series('aht', 'rep_aht', r.buckets.map((b) => b.ahtSeconds))] }),
      h(ReportTable, {
        testId: 'table-speed',
        caption: t('rep_speed'),
        head: head(['rep_asa', 'rep_aht']),
        rows: r.buckets.map((b) => ({ key: b.start, cells: [label(b), figure(b.asaSeconds), figure(b.ahtSeconds)] })),
        total: [figure(tot.asaSeconds), figure(tot.ahtSeconds)],
        totalLabel: t('rep_total'),
      }),
    ),
    h(
      Section,
      { title: t('rep_by_hour') },
      h(Chart, { title: t('rep_by_hour'), x: r.byHourOfDay.map((x) => x.hour), time: false, bars: true, counts: true, testId: 'chart-hours', series: [series('answered', 'rep_answered', r.byHourOfDay.map((x) => x.answered)), series('missed', 'rep_missed', r.byHourOfDay.map((x) => x.missed))] }),
      h(ReportTable, {
        testId: 'table-hours',
        caption: t('rep_by_hour'),
        head: [t('rep_hour'), t('rep_calls_count'), t('rep_answered'), t('rep_missed'), t('rep_abandoned'), t('rep_sl'), t('rep_asa')],
        rows: r.byHourOfDay.map((x) => ({ key: String(x.hour), cells: [`${String(x.hour).padStart(2, '0')}:00`, x.calls, x.answered, x.missed, x.abandoned, percent(x.serviceLevel), figure(x.asaSeconds)] })),
      }),
    ),
    h(
      Section,
      { title: t('rep_agents') },
      r.byAgent.length === 0
        ? h('p', { class: 'muted' }, t('rep_no_agents'))
        : h(ReportTable, {
            testId: 'table-agents',
            caption: t('rep_agents'),
            head: [t('agent'), t('rep_answered'), t('rep_asa'), t('rep_aht'), t('rep_rang'), t('rep_unanswered')],
            rows: r.byAgent.map((a) => ({ key: a.agentId, cells: [a.name || a.login || a.agentId, a.answered, figure(a.asaSeconds), figure(a.ahtSeconds), a.rang, a.unanswered] })),
          }),
    ),
  );
}

const REASONS = ['confirmed', 'no_reply', 'withdrawn', 'duplicate', 'error'] as const;

function TicketSections({ r }: { r: TicketReport }) {
  const { x, xLabel } = bucketAxis(r);
  const label = (b: { start: string }) => bucketLabel(b.start, r.groupBy);
  const tot = r.total;
  const small = (testId: string, title: Key, rows: { key: string; name: string; created: number }[]) =>
    h(ReportTable, { testId, caption: t(title), head: [t(title), t('rep_created')], rows: rows.map((x) => ({ key: x.key, cells: [x.name, x.created] })) });
  return h(
    'div',
    null,
    h(
      Section,
      { title: t('rep_tickets') },
      h(Chart, {
        title: t('rep_tickets'),
        x,
        time: true,
        xLabel,
        counts: true,
        testId: 'chart-tickets',
        series: (['created', 'registered', 'completed', 'closed', 'reopened'] as const).map((k) => series(k, `rep_${k}`, r.buckets.map((b) => b[k]))),
      }),
      h(ReportTable, {
        testId: 'table-tickets',
        caption: t('rep_tickets'),
        head: [t('rep_period'), t('rep_created'), t('rep_registered'), t('rep_completed'), t('rep_closed'), ...REASONS.map((k) => `${t('rep_closed')}: ${t(`cr_${k}`)}`), t('rep_reopened')],
        rows: r.buckets.map((b) => ({ key: b.start, cells: [label(b), b.created, b.registered, b.completed, b.closed, ...REASONS.map((k) => b.closedBy[k]), b.reopened] })),
        total: [tot.created, tot.registered, tot.completed, tot.closed, ...REASONS.map((k) => tot.closedBy[k]), tot.reopened],
        totalLabel: t('rep_total'),
      }),
    ),
    h(
      Section,
      { title: t('rep_backlog'), hint: t('rep_backlog_hint') },
      h(Chart, { title: t('rep_backlog'), x, time: true, xLabel, counts: true, testId: 'chart-backlog', series: [series('backlog', 'rep_backlog', r.buckets.map((b) => b.backlog))] }),
      h(ReportTable, { testId: 'table-backlog', caption: t('rep_backlog'), head: [t('rep_period'), t('rep_backlog')], rows: r.buckets.map((b) => ({ key: b.start, cells: [label(b), b.backlog] })) }),
    ),
    h(
      'section',
      { class: 'report-section report-pair' },
      h('div', null, h('h2', null, t('rep_by_priority')), small('table-priority', 'priority', r.byPriority.map((x) => ({ key: x.priority, name: t(`p_${x.priority}` as Key), created: x.created })))),
      h('div', null, h('h2', null, t('rep_by_channel')), small('table-channel', 'channel', r.byChannel.map((x) => ({ key: x.channel, name: t(`ch_${x.channel}` as Key), created: x.created })))),
    ),
  );
}

export function ReportsPage(_: PageProps) {
  const loc = useLocation();
  const query = readQuery(loc.query);
  const key = url(query);
  const { data, error } = useReadFor(key, () => Promise.all([api.reportCalls(apiParams(query)), api.reportTickets(apiParams(query))]));
  const [calls, tickets] = data ?? [null, null];
  const go = (change: ReportQuery) => loc.route(url({ ...query, ...change }));
  const from = query.from ?? (calls ? moscowDay(calls.since) : '');
  const to = query.to ?? (calls ? moscowDay(calls.until, 1) : '');
  return h(
    'main',
    { class: 'page reports', 'data-testid': 'reports' },
    h('div', { class: 'page-head' }, h('h1', null, t('reportsTitle'))),
    h(
      'form',
      { class: 'list-filters', onSubmit: (ev: Event) => ev.preventDefault() },
      filter('from', h('label', { for: 'rep-from' }, t('reportFrom')), h('input', { id: 'rep-from', type: 'date', value: from, onChange: (ev: Event) => go({ from: (ev.target as HTMLInputElement).value || undefined }) })),
      filter('to', h('label', { for: 'rep-to' }, t('createdTo')), h('input', { id: 'rep-to', type: 'date', value: to, onChange: (ev: Event) => go({ to: (ev.target as HTMLInputElement).value || undefined }) })),
      filter(
        'group-by',
        h('label', { for: 'rep-group-by' }, t('groupBy')),
        h('select', { id: 'rep-group-by', value: query.groupBy ?? 'day', onChange: (ev: Event) => go({ groupBy: (ev.target as HTMLSelectElement).value as GroupBy }) }, GROUP_BY.map((g) => h('option', { key: g, value: g }, t(`gb_${g}`)))),
      ),
    ),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    !calls && !error && h('p', { class: 'muted', role: 'status' }, t('loading')),
    calls && h('p', { class: 'muted small', 'data-testid': 'report-period' }, t('reportPeriodLine', { since: `${moscowDay(calls.since).split('-').reverse().join('.')}`, until: `${moscowDay(calls.until, 1).split('-').reverse().join('.')}` })),
    calls && h(CallSections, { r: calls }),
    tickets && h(TicketSections, { r: tickets }),
  );
}
