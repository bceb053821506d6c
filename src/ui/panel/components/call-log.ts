// `/calls` (the call log: every call, newest first, filtered by period, direction, support line,
// outcome, agent, caller, after hours and blocked callers — kept in the address; calls the PBX
// recorded are marked) and `/calls/<id>` (one call: its legs as a timeline, its recordings and
// voicemail, its requests; supervisors may block its caller from there).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Call } from '../../../wire/call';
import type { Ticket } from '../../../wire/ticket';
import { api, queryString } from '../api';
import { formatDateTime, formatDuration, moscowDayStart } from '../format';
import { filter } from './filter';
import { t, type Key } from '../i18n';
import { errorText, phoneText } from '../panel-state';
import { requestUrl } from '../requests';
import type { PageProps } from '../store';
import { Legs } from './legs';
import { useReadFor } from './read-for';
import { recordingMark, Recordings } from './recordings';

const FILTERS = ['from', 'to', 'direction', 'supportLine', 'outcome', 'agentId', 'callerNumber', 'afterHours', 'blocked', 'queue', 'gap'] as const;
type Filter = (typeof FILTERS)[number];
type CallQuery = Partial<Record<Filter, string>>;

function readQuery(query: Record<string, string>): CallQuery {
  const out: CallQuery = {};
  for (const f of FILTERS) if (query[f]) out[f] = query[f];
  return out;
}

const url = (q: CallQuery) => {
  const p = new URLSearchParams();
  for (const f of FILTERS) if (q[f]) p.set(f, q[f]!);
  const s = p.toString();
  return s ? `/calls?${s}` : '/calls';
};

function apiParams(q: CallQuery, cursor?: string, all = false) {
  const page = all ? {} : { cursor, limit: 50 };
  return {
    ...page,
    since: q.from ? moscowDayStart(q.from) : undefined,
    until: q.to ? moscowDayStart(q.to, 1) : undefined,
    direction: q.direction,
    supportLine: q.supportLine,
    outcome: q.outcome,
    agentId: q.agentId,
    callerNumber: q.callerNumber,
    afterHours: q.afterHours,
    queue: q.queue,
    gap: q.gap,
    blocked: q.blocked,
  };
}

const select = (id: string, value: string | undefined, options: [string, string][], onChange: (v: string) => void) =>
  h('select', { id, value: value ?? '', onChange: (ev: Event) => onChange((ev.target as HTMLSelectElement).value) }, options.map(([v, text]) => h('option', { key: v, value: v }, text)));

const answeredBy = (c: Call) => (c.answeredBy ? (c.answeredBy.login ?? t('extension', { ext: c.answeredBy.extension })) : '');

export function CallLog({ state }: PageProps) {
  const loc = useLocation();
  const query = readQuery(loc.query);
  // The rows read and the query they answer: until the new query's rows come, none are shown (not
  // the previous filter's rows under the new filter).
  const [loaded, setLoaded] = useState<{ key: string; items: Call[] } | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [caller, setCaller] = useState(query.callerNumber ?? '');
  const [error, setError] = useState<string | null>(null);
  const key = url(query);
  const items = loaded?.key === key ? loaded.items : null;
  useEffect(() => {
    let live = true;
    setError(null);
    setCaller(query.callerNumber ?? '');
    api.calls(apiParams(query)).then(
      (r) => live && (setLoaded({ key, items: r.items }), setNext(r.nextCursor)),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [key]);
  const go = (change: CallQuery) => loc.route(url({ ...query, ...change }));
  const more = async () => {
    if (!next) return;
    try {
      const r = await api.calls(apiParams(query, next));
      setLoaded((l) => (l?.key === key ? { key, items: [...l.items, ...r.items] } : l));
      setNext(r.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const any = (k: Key): [string, string] => ['', t(k)];
  return h(
    'main',
    { class: 'page call-log', 'data-testid': 'call-log' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, t('callLog')),
      state.agent?.role !== 'agent' &&
        h('a', { class: 'button', href: `/api/calls/export.csv?${queryString(apiParams(query, undefined, true))}`, download: 'calls.csv', 'data-testid': 'export-csv' }, t('exportCsv')),
    ),
    h(
      'form',
      { class: 'list-filters', onSubmit: (ev: Event) => (ev.preventDefault(), go({ callerNumber: caller.trim() || undefined })) },
      filter('caller', h('label', { for: 'calls-caller' }, t('customerPhone')), h('input', { id: 'calls-caller', type: 'search', value: caller, onInput: (ev: Event) => setCaller((ev.target as HTMLInputElement).value) })),
      filter(
        'direction',
        h('label', { for: 'calls-direction' }, t('direction')),
        select('calls-direction', query.direction, [any('anyDirection'), ['inbound', t('dir_inbound')], ['outbound', t('dir_outbound')], ['internal', t('dir_internal')]], (v) => go({ direction: v || undefined })),
      ),
      filter(
        'outcome',
        h('label', { for: 'calls-outcome' }, t('outcome')),
        select('calls-outcome', query.outcome, [any('anyOutcome'), ['answered', t('outcome_answered')], ['missed', t('outcome_missed')], ['unknown', t('outcome_unknown')]], (v) => go({ outcome: v || undefined })),
      ),
      filter(
        'line',
        h('label', { for: 'calls-line' }, t('supportLineFilter')),
        select('calls-line', query.supportLine, [any('anyLine'), ['true', t('supportLineOnly')], ['false', t('otherLines')]], (v) => go({ supportLine: v || undefined })),
      ),
      filter(
        'hours',
        h('label', { for: 'calls-hours' }, t('hours')),
        select('calls-hours', query.afterHours, [any('anyHours'), ['false', t('inHours')], ['true', t('afterHours')]], (v) => go({ afterHours: v || undefined })),
      ),
      filter(
        'blocked',
        h('label', { for: 'calls-blocked' }, t('blockedFilter')),
        select('calls-blocked', query.blocked, [any('anyBlocked'), ['true', t('onlyBlocked')], ['false', t('notBlocked')]], (v) => go({ blocked: v || undefined })),
      ),
      filter(
        'gap',
        h('label', { for: 'calls-gap' }, t('gapFilter')),
        select('calls-gap', query.gap, [any('anyGap'), ['true', t('withGap')], ['false', t('withoutGap')]], (v) => go({ gap: v || undefined })),
      ),
      filter(
        'queue',
        h('label', { for: 'calls-queue' }, t('queue')),
        h('input', { id: 'calls-queue', value: query.queue ?? '', placeholder: 'support', size: 10, onChange: (ev: Event) => go({ queue: (ev.target as HTMLInputElement).value.trim() || undefined }) }),
      ),
      filter(
        'agent',
        h('label', { for: 'calls-agent' }, t('agent')),
        select('calls-agent', query.agentId, [any('anyone'), ...Object.entries(state.colleagues ?? {})], (v) => go({ agentId: v || undefined })),
      ),
      filter('from', h('label', { for: 'calls-from' }, t('periodFrom')), h('input', { id: 'calls-from', type: 'date', value: query.from ?? '', onChange: (ev: Event) => go({ from: (ev.target as HTMLInputElement).value || undefined }) })),
      filter('to', h('label', { for: 'calls-to' }, t('createdTo')), h('input', { id: 'calls-to', type: 'date', value: query.to ?? '', onChange: (ev: Event) => go({ to: (ev.target as HTMLInputElement).value || undefined }) })),
      h('button', { type: 'submit' }, t('search')),
    ),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    items === null && !error && h('p', { class: 'muted', role: 'status' }, t('loading')),
    items !== null &&
      (items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-calls' }, t('noCallsFound'))
        : h(
            'table',
            { class: 'ticket-table' },
            h('thead', null, h('tr', null, ['callStarted', 'direction', 'caller', 'outcome', 'agent', 'callLength', 'navTickets'].map((k) => h('th', { key: k, scope: 'col' }, t(k as Key))))),
            h(
              'tbody',
              null,
              items.map((c) =>
                h(
                  'tr',
                  { key: c.id, 'data-testid': 'call-row', 'data-outcome': c.outcome ?? 'live', 'data-blocked': String(c.blocked) },
                  h('td', null, h('a', { href: `/calls/${c.id}` }, formatDateTime(c.startedAt)), c.afterHours && h('div', { class: 'small muted' }, t('afterHours')), recordingMark(c)),
                  h('td', null, t(`dir_${c.direction}` as Key), c.supportLine && h('div', { class: 'small muted' }, t('supportLineOnly'))),
                  h(
                    'td',
                    null,
                    phoneText(c.callerNumber),
                    c.callerName && h('div', { class: 'small muted' }, c.callerName),
                    c.blocked && h('div', null, h('span', { class: 'badge blocked', 'data-testid': 'blocked-mark' }, t('blockedCall'))),
                  ),
                  h('td', null, c.outcome ? t(`outcome_${c.outcome}` as Key) : t('callLive')),
                  h('td', null, answeredBy(c)),
                  h('td', null, formatDuration(c.startedAt, state.now, c.endedAt)),
                  h('td', null, String(c.ticketIds.length || '')),
                ),
              ),
            ),
          )),
    next && h('button', { type: 'button', onClick: () => void more() }, t('showMore')),
  );
}

export function CallPage({ state }: PageProps) {
  const id = useRoute().params.id ?? '';
  // The call in the address only (its caller may be blocked from here): not the previous call's
  // page for a frame, nor a late answer for it.
  const read = useReadFor(id, async () => {
    const c = await api.callById(id);
    const tickets = await Promise.all(c.ticketIds.map((tid) => api.ticket(tid).catch(() => null)));
    return { call: c, tickets: tickets.filter((x): x is NonNullable<typeof x> => x !== null) };
  });
  const call = read.data?.call ?? null;
  const tickets: Ticket[] = read.data?.tickets ?? [];
  const error = read.error;
  if (!call) return h('main', { class: 'page' }, error ? h('p', { class: 'form-error', role: 'alert' }, error) : h('p', { class: 'muted' }, t('loading')));
  const fact = (k: Key, v: string | null | false | undefined) => v && h('div', null, h('span', { class: 'muted' }, `${t(k)}: `), v);
  return h(
    'main',
    { class: 'page call-page', 'data-testid': 'call-page' },
    h('a', { href: '/calls' }, `← ${t('callLog')}`),
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, `${t(`dir_${call.direction}` as Key)} · ${phoneText(call.callerNumber)}`),
      // The caller of an inbound call, by a supervisor: the block form, filled in.
      state.agent?.role !== 'agent' &&
        call.direction === 'inbound' &&
        call.callerNumber &&
        h('a', { class: 'button', href: `/admin/blocked?${queryString({ number: call.callerNumber })}`, 'data-testid': 'block-caller' }, t('blockNumber')),
    ),
    h(
      'section',
      { class: 'call-facts' },
      fact('callStarted', formatDateTime(call.startedAt)),
      fact('callEndedAt', call.endedAt && formatDateTime(call.endedAt)),
      fact('outcome', call.outcome ? t(`outcome_${call.outcome}` as Key) : t('callLive')),
      fact('agent', answeredBy(call)),
      fact('callLength', formatDuration(call.startedAt, state.now, call.endedAt)),
      fact('did', call.did),
      fact('queue', call.queue),
      fact('hangupCause', call.hangupCause),
      call.afterHours && h('div', null, t('afterHours')),
      call.blocked && h('div', null, h('span', { class: 'badge blocked', 'data-testid': 'blocked-mark' }, t('blockedCall'))),
      call.gap && h('div', { class: 'muted' }, t('callGap')),
    ),
    h('h2', null, t('legsTitle')),
    h(Legs, { call, now: state.now }),
    h(Recordings, { call }),
    h('h2', null, t('navTickets')),
    tickets.length === 0
      ? h('p', { class: 'muted' }, t('noTickets'))
      : h('ul', { 'data-testid': 'call-requests' }, tickets.map((tk) => h('li', { key: tk.id }, h('a', { href: requestUrl(tk) }, tk.number ?? t('draft')), ` · ${t(`status_${tk.status}` as Key)} · ${tk.subject || t('noSubject')}`))),
  );
}
