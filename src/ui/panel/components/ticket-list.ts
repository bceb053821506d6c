// `/tickets`: the requests, by view («Мои», «Неразобранные», …), searched and filtered, in R3
// order. The address holds the view, search and filter, so a bookmark or a reload shows the same
// list; rows change in place as the socket brings their changes.
import { h } from 'preact';
import { filter } from './filter';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Ticket } from '../../../wire/ticket';
import { PRIORITIES } from '../fields';
import { OPEN_STATUSES } from '../../../tickets/vocabulary';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';
import { errorText, requestFrom } from '../panel-state';
import { CustomerWaits } from './customer-waits';
import { api } from '../api';
import { CHANNELS, exportUrl, listUrl, loadList, onRequestChange, readListQuery, requestUrl, VIEWS, type ListQuery } from '../requests';
import type { PageProps } from '../store';

function useSlashFocus(ref: { current: HTMLInputElement | null }) {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const target = ev.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        ref.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** The statuses a view can be narrowed to. */
const VIEW_STATUSES: Partial<Record<ListQuery['view'], readonly string[]>> = { mine: OPEN_STATUSES, open: OPEN_STATUSES };

/** The list narrowed to one customer or organisation: whose, and the way back to everyone's. */
function WhoseChip({ query, clear }: { query: ListQuery; clear: () => void }) {
  const [name, setName] = useState('…');
  useEffect(() => {
    const named = query.contactId ? api.contact(query.contactId) : api.organisation(query.organisationId);
    named.then((x) => setName(x.name), () => setName('?'));
  }, [query.contactId, query.organisationId]);
  return h(
    'p',
    { class: 'whose', 'data-testid': 'whose' },
    `${query.contactId ? t('caller') : t('organisation')}: ${name} `,
    h('button', { type: 'button', class: 'link', onClick: clear, 'aria-label': t('showEveryones') }, '✕'),
  );
}


function Row({ tk, names }: { tk: Ticket; names: (ids: string[]) => string }) {
  return h(
    'tr',
    { 'data-testid': 'ticket-row', 'data-number': tk.number ?? '', 'data-status': tk.status },
    h('td', null, h('a', { href: requestUrl(tk) }, tk.number ?? t('draft'))),
    h('td', null, h('span', { class: `priority-chip p-${tk.priority}` }, t(`p_${tk.priority}` as Key))),
    h(
      'td',
      null,
      t(`status_${tk.status}` as Key),
      tk.status === 'completed' && tk.autoCloseAt && h('div', { class: 'small muted' }, t('closesBySelf', { time: formatDateTime(tk.autoCloseAt) })),
      h(CustomerWaits, { tk }),
    ),
    h('td', null, h('a', { href: requestUrl(tk) }, tk.subject || t('noSubject')), h('div', { class: 'small muted', 'data-testid': 'request-from' }, requestFrom(tk))),
    h('td', null, names(tk.assignees)),
    h('td', { class: 'small' }, formatDateTime(tk.registeredAt ?? tk.createdAt)),
  );
}

export function TicketList({ state }: PageProps) {
  const loc = useLocation();
  const query = readListQuery(loc.query);
  const agent = state.agent!;
  // The rows read and the query they answer: until the new query's rows come, none are shown (not
  // the previous filter's rows under the new filter).
  const [loaded, setLoaded] = useState<{ key: string; items: Ticket[] } | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const morePages = useRef(false);
  const [total, setTotal] = useState<{ count: number; atLeast: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState(query.q);
  const [fixedIn, setFixedIn] = useState(query.fixedIn);
  const searchRef = useRef<HTMLInputElement>(null);
  useSlashFocus(searchRef);
  const key = `${listUrl(query)} ${agent.id}`;
  const items = loaded?.key === key ? loaded.items : null;

  useEffect(() => {
    let live = true;
    setError(null);
    setText(query.q);
    setFixedIn(query.fixedIn);
    const load = () =>
      loadList(query).then(
        (page) => {
          if (!live) return;
          setLoaded({ key, items: page.items });
          setNext(page.nextCursor);
          setTotal(page.total);
          morePages.current = false;
        },
        (err) => live && setError(errorText(err)),
      );
    void load();
    // A listed request that changes is shown as it is now at once; then the first page is read again
    // (at most once a second), so requests that enter or leave the view do too — unless the user
    // has loaded more pages, which a reload would take away.
    let timer: number | undefined;
    const stop = onRequestChange((changed) => {
      setLoaded((l) => l && { key: l.key, items: l.items.map((x) => (x.id === changed.id ? changed : x)) });
      if (timer === undefined && !morePages.current) timer = window.setTimeout(() => ((timer = undefined), void load()), 1000);
    });
    return () => {
      live = false;
      window.clearTimeout(timer);
      stop();
    };
  }, [key]);

  const go = (q: Partial<ListQuery>) => loc.route(listUrl({ ...query, ...q }));
  const more = async () => {
    if (!next) return;
    morePages.current = true;
    try {
      const page = await loadList(query, next);
      setLoaded((l) => (l?.key === key ? { key, items: [...l.items, ...page.items] } : l));
      setNext(page.nextCursor);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const names = (ids: string[]) => ids.map((id) => (id === agent.id ? agent.name || agent.login : (state.colleagues?.[id] ?? '…'))).join(', ');

  return h(
    'main',
    { class: 'page tickets-page', 'data-testid': 'ticket-list' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, t('navTickets')),
      h(
        'div',
        { class: 'actions' },
        agent.role !== 'agent' && h('a', { class: 'button', href: exportUrl(query), download: 'requests.csv', 'data-testid': 'export-csv' }, t('exportCsv')),
        h('a', { class: 'button primary', href: '/tickets/new', 'data-testid': 'new-request-link' }, t('newRequest')),
      ),
    ),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('navTickets') },
      VIEWS.map((v) =>
        h('a', { key: v, href: listUrl({ ...query, view: v }), class: `tab${v === query.view ? ' active' : ''}`, 'aria-current': v === query.view ? 'page' : undefined, 'data-view': v }, t(`v_${v}` as Key)),
      ),
    ),
    h(
      'form',
      { class: 'list-filters', role: 'search', onSubmit: (ev: Event) => (ev.preventDefault(), go({ q: text.trim(), fixedIn: fixedIn.trim() })) },
      filter(
        'search',
        h('label', { for: 'ticket-search' }, t('search'), ' ', h('span', { class: 'kbd', 'aria-hidden': 'true' }, t('searchKey'))),
        h('input', {
          id: 'ticket-search',
          ref: searchRef,
          type: 'search',
          value: text,
          placeholder: t('searchHint'),
          'aria-keyshortcuts': '/',
          onInput: (ev: Event) => setText((ev.target as HTMLInputElement).value),
        }),
      ),
      filter(
        'priority',
        h('label', { for: 'ticket-priority' }, t('priority')),
        h(
          'select',
          { id: 'ticket-priority', value: query.priority, onChange: (ev: Event) => go({ priority: (ev.target as HTMLSelectElement).value as ListQuery['priority'] }) },
          h('option', { value: '' }, t('anyPriority')),
          PRIORITIES.map((p) => h('option', { key: p, value: p }, t(`p_${p}` as Key))),
        ),
      ),
      VIEW_STATUSES[query.view] &&
        filter(
          'status',
          h('label', { for: 'ticket-status' }, t('col_status')),
          h(
            'select',
            { id: 'ticket-status', value: query.status, onChange: (ev: Event) => go({ status: (ev.target as HTMLSelectElement).value }) },
            h('option', { value: '' }, t('anyStatus')),
            VIEW_STATUSES[query.view]!.map((st) => h('option', { key: st, value: st }, t(`status_${st}` as Key))),
          ),
        ),
      filter(
        'channel',
        h('label', { for: 'ticket-channel' }, t('channel')),
        h(
          'select',
          { id: 'ticket-channel', value: query.channel, onChange: (ev: Event) => go({ channel: (ev.target as HTMLSelectElement).value }) },
          h('option', { value: '' }, t('anyChannel')),
          CHANNELS.map((c) => h('option', { key: c, value: c }, t(`ch_${c}` as Key))),
        ),
      ),
      query.view !== 'mine' &&
        filter(
          'assignee',
          h('label', { for: 'ticket-assignee' }, t('col_assignees')),
          h(
            'select',
            { id: 'ticket-assignee', value: query.assignee, onChange: (ev: Event) => go({ assignee: (ev.target as HTMLSelectElement).value }) },
            h('option', { value: '' }, t('anyone')),
            Object.entries(state.colleagues ?? {}).map(([id, name]) => h('option', { key: id, value: id }, name)),
          ),
        ),
      h(
        'div',
        { class: 'filter filter-waits' },
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', checked: query.waits === '1', onChange: (ev: Event) => go({ waits: (ev.target as HTMLInputElement).checked ? '1' : '' }) }),
          ' ',
          t('customerWaitsFilter'),
        ),
      ),
      filter(
        'fixed-in',
        h('label', { for: 'ticket-fixed-in' }, t('fixedIn')),
        h('input', { id: 'ticket-fixed-in', value: fixedIn, onInput: (ev: Event) => setFixedIn((ev.target as HTMLInputElement).value), placeholder: '5.3.0' }),
      ),
      filter(
        'from',
        h('label', { for: 'ticket-from' }, t('createdFrom')),
        h('input', { id: 'ticket-from', type: 'date', value: query.from, onChange: (ev: Event) => go({ from: (ev.target as HTMLInputElement).value }) }),
      ),
      filter(
        'to',
        h('label', { for: 'ticket-to' }, t('createdTo')),
        h('input', { id: 'ticket-to', type: 'date', value: query.to, onChange: (ev: Event) => go({ to: (ev.target as HTMLInputElement).value }) }),
      ),
      h('button', { type: 'submit' }, t('search')),
    ),
    (query.contactId || query.organisationId) && h(WhoseChip, { query, clear: () => go({ contactId: '', organisationId: '' }) }),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    items === null && !error && h('p', { class: 'muted', role: 'status' }, t('loading')),
    items !== null &&
      (items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-tickets' }, t('noTickets'))
        : h(
            'table',
            { class: 'ticket-table' },
            h(
              'thead',
              null,
              h('tr', null, ['col_number', 'col_priority', 'col_status', 'col_subject', 'col_assignees', 'col_created'].map((c) => h('th', { key: c, scope: 'col' }, t(c as Key)))),
            ),
            h('tbody', null, items.map((tk) => h(Row, { key: tk.id, tk, names }))),
          )),
    items !== null &&
      h(
        'p',
        { class: 'small muted', 'data-testid': 'shown' },
        total ? t(total.atLeast ? 'shownOfMore' : 'shownOf', { n: String(items.length), total: total.count.toLocaleString('ru-RU') }) : t('shown', { n: String(items.length) }),
      ),
    next && h('button', { type: 'button', onClick: () => void more() }, t('showMore')),
  );
}
