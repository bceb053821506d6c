// `/tickets/2026-000042`: one request to work after the call — its fields (autosaved, a colleague's
// change shown as a conflict, nothing typed lost), only the actions the server says this user may
// take now, its journal and the timeline of each linked call. Bookmarkable; follows live changes.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Call } from '../../../wire/call';
import type { JournalEntry, TicketDetail } from '../../../wire/ticket';
import { api } from '../api';
import { ensureEditor } from '../cases';
import type { Editor } from '../editor';
import { formatDateTime, formatDuration } from '../format';
import { t, type Key } from '../i18n';
import { editors, errorText, phoneText, requestFrom } from '../panel-state';
import { register } from '../request-actions';
import { loadColleagues, loadRequest, onRequestChange, requestUrl, runCommand, type PageCommand } from '../requests';
import { sendToServer } from '../session-flow';
import type { PageProps } from '../store';
import { RequestFields } from './request-fields';
import { IncidentChildren } from './incident-parts';
import { Legs } from './legs';
import { CustomerWaits } from './customer-waits';
import { CustomerMails } from './customer-mails';
import { RequestMails } from './request-mails';
import { useScreenshots } from './screenshots';

type Typed = 'complete' | 'reopen' | 'comment' | 'reply' | 'customer_contact';
const TYPED_LABEL: Record<Typed, Key> = { complete: 'solution', reopen: 'reason', comment: 'a_comment', reply: 'replyToCustomerText', customer_contact: 'a_comment' };

/** Fields a journal entry may name whose label key differs from the field. */
const FIELD_NAMES: Record<string, Key> = { assignees: 'col_assignees', contactId: 'caller', organisationId: 'organisation' };

function journalLine(e: JournalEntry, names: (id: string) => string): string {
  const d = e.data as Record<string, any>;
  switch (e.kind) {
    case 'status_changed':
      return t('j_status_changed', { from: t(`status_${d.from}` as Key), to: t(`status_${d.to}` as Key) }) + (d.comment ? ` — ${d.comment}` : '');
    case 'field_changed':
      return t('j_field_changed', { field: t(FIELD_NAMES[d.field] ?? (d.field as Key)) });
    case 'assigned':
      return `${t('j_assigned')}: ${(d.to as string[]).map(names).join(', ')}`;
    case 'comment':
      return `${t(d.toCustomer ? 'j_reply_to_customer' : 'j_comment')}: ${d.text}`;
    case 'solution':
      return `${t(`j_${e.kind}`)}: ${d.text}`;
    case 'linked_request':
      return t(d.relation === 'parent' ? 'jLinkedParent' : 'jLinkedChild', { number: d.number ?? t('draft') });
    case 'customer_message':
      return `${t('j_customer_message')}${d.notSolved ? ` (${t('j_not_solved')})` : ''}: ${d.text}`;
    case 'customer_decision':
      return `${t('j_customer_decision')}: ${t(`cd_${d.decision}` as Key)}${d.channel === 'link' ? ` (${t('viaLink')})` : ''}${d.comment ? ` — ${d.comment}` : ''}`;
    default:
      return t(`j_${e.kind}` as Key);
  }
}

/** Who made an entry: a user (perhaps for the customer), the service, or the customer themselves through a mail's link. */
function actorText(e: JournalEntry): string[] {
  if (!e.actor && (e.data as { channel?: string }).channel === 'link') return [t('customerActor')];
  return [e.actor ? e.actor.name || e.actor.login : t('systemActor'), e.onBehalfOf === 'customer' ? ` (${t('onBehalfOfCustomer')})` : ''];
}

function CallTimeline({ call, now }: { call: Call; now: number }) {
  return h(
    'li',
    { 'data-testid': 'request-call' },
    h(
      'div',
      null,
      h('a', { href: `/calls/${call.id}` }, formatDateTime(call.startedAt)),
      ' · ',
      phoneText(call.callerNumber),
      ' · ',
      call.outcome ? t(`outcome_${call.outcome}` as Key) : t('callLive'),
      ' · ',
      formatDuration(call.startedAt, now, call.endedAt),
    ),
    h(Legs, { call, now }),
  );
}

function Actions({ tk, onDone }: { tk: TicketDetail; onDone: () => void }) {
  const loc = useLocation();
  const [typing, setTyping] = useState<Typed | null>(null);
  const [text, setText] = useState('');
  const [assignTo, setAssignTo] = useState('');
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const can = (a: TicketDetail['actions'][number]) => tk.actions.includes(a);
  useEffect(() => {
    if (can('assign')) loadColleagues().then((xs) => setPeople(xs.filter((c) => c.active).map((c) => ({ id: c.id, name: c.name || c.login }))), () => undefined);
  }, [tk.id]);
  const run = async (c: PageCommand) => {
    setBusy(true);
    setError(null);
    try {
      await runCommand(tk, c);
      setTyping(null);
      setText('');
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // A draft (a related request, say) registered here: its text is sent first, then the page moves
  // to the address of its number.
  const registerHere = async () => {
    setBusy(true);
    setError(null);
    try {
      await register(tk.id, null);
      const number = editors.get(tk.id)?.base.number;
      if (number) loc.route(`/tickets/${number}`, true);
      onDone();
    } catch (err) {
      setError(err instanceof Error && !('status' in err) ? err.message : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const related = async () => {
    try {
      const draft = await api.create({ parentId: tk.id });
      loc.route(requestUrl(draft));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const button = (key: Key, onClick: () => void, testid: string) => h('button', { type: 'button', disabled: busy, onClick, 'data-testid': testid }, t(key));
  const open = (what: Typed) => () => (setTyping(what), setText(''));
  return h(
    'section',
    { class: 'request-actions', 'aria-label': t('request') },
    h(
      'div',
      { class: 'actions' },
      can('register') && button('register', () => void registerHere(), 'register'),
      can('start') && button('a_start', () => void run({ action: 'start' }), 'a-start'),
      can('complete') && button('a_complete', open('complete'), 'a-complete'),
      can('confirm') && button('a_confirm', () => void run({ action: 'confirm' }), 'a-confirm'),
      can('reopen') && button('a_reopen', open('reopen'), 'a-reopen'),
      can('customer_contact') && button('a_customer_contact', open('customer_contact'), 'a-customer-contact'),
      can('withdraw') && button('a_withdraw', () => void run({ action: 'withdraw' }), 'a-withdraw'),
      can('close') && button('a_close_duplicate', () => void run({ action: 'close', reason: 'duplicate' }), 'a-close-duplicate'),
      can('close') && button('a_close_error', () => void run({ action: 'close', reason: 'error' }), 'a-close-error'),
      can('comment') && button('a_comment', open('comment'), 'a-comment'),
      can('comment') && tk.customer?.contactId && button('a_reply_customer', open('reply'), 'a-reply-customer'),
      tk.status !== 'draft' && tk.status !== 'discarded' && button('a_related', () => void related(), 'a-related'),
    ),
    typing &&
      h(
        'form',
        { class: 'typed-action', onSubmit: (ev: Event) => (ev.preventDefault(), void run({ action: typing, text })) },
        h('label', { for: `typed-${tk.id}` }, t(TYPED_LABEL[typing])),
        h('textarea', { id: `typed-${tk.id}`, rows: 3, value: text, autoFocus: true, 'data-testid': 'action-text', onInput: (ev: Event) => setText((ev.target as HTMLTextAreaElement).value) }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: busy, 'data-testid': 'action-send' }, t('send')), h('button', { type: 'button', onClick: () => setTyping(null) }, t('cancel'))),
      ),
    can('assign') &&
      h(
        'form',
        { class: 'assign', onSubmit: (ev: Event) => (ev.preventDefault(), assignTo && void run({ action: 'assign', to: assignTo })) },
        h('label', { for: `assign-${tk.id}` }, t('assignTo')),
        h(
          'select',
          { id: `assign-${tk.id}`, value: assignTo, 'data-testid': 'assign-to', onChange: (ev: Event) => setAssignTo((ev.target as HTMLSelectElement).value) },
          h('option', { value: '' }, '—'),
          people.map((p) => h('option', { key: p.id, value: p.id }, p.name)),
        ),
        h('button', { type: 'submit', disabled: busy || !assignTo, 'data-testid': 'a-assign' }, t('a_assign')),
      ),
    error && h('p', { class: 'form-error', role: 'alert', 'data-testid': 'action-error' }, error),
  );
}

function PageFields({ editor, viewOnly }: { editor: Editor; viewOnly: boolean }) {
  const shots = useScreenshots(editor.id, null);
  return h('form', { class: 'ticket-form', onSubmit: (ev: Event) => ev.preventDefault() }, h(RequestFields, { editor, viewOnly, shots }));
}

export function RequestPage({ state }: PageProps) {
  const key = useRoute().params.key ?? '';
  const [tk, setTk] = useState<TicketDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    loadRequest(key).then(
      (found) => {
        if (found) ensureEditor(found);
        setTk(found);
      },
      (err) => setError(errorText(err)),
    );
  useEffect(() => {
    setTk(undefined);
    void reload();
  }, [key]);
  const id = tk?.id;
  useEffect(() => {
    if (!id) return;
    // Its changes come over the socket while the page is open, whoever makes them.
    sendToServer({ type: 'ticket.open', ticketId: id });
    const stop = onRequestChange((changed) => changed.id === id && void reload());
    return () => {
      stop();
      sendToServer({ type: 'ticket.close', ticketId: id });
    };
  }, [id]);

  if (error) return h('main', { class: 'page' }, h('p', { class: 'form-error', role: 'alert' }, error));
  if (tk === undefined) return h('main', { class: 'page' }, h('p', { class: 'muted', role: 'status' }, t('loading')));
  if (tk === null) return h('main', { class: 'page' }, h('a', { href: '/tickets' }, t('allRequests')), h('h1', null, t('notFound', { key })));
  const editor = editors.get(tk.id) ?? ensureEditor(tk);
  const names = (aid: string) => (aid === state.agent?.id ? state.agent.name || state.agent.login : (state.colleagues?.[aid] ?? aid.slice(0, 8)));
  return h(
    'main',
    { class: 'page request-page', 'data-testid': 'request-page', 'data-status': tk.status },
    h('a', { href: '/tickets' }, t('allRequests')),
    h(
      'header',
      { class: 'request-head' },
      h('h1', null, `${t('request')} `, h('span', { 'data-testid': 'request-number' }, tk.number ?? t('draft'))),
      h('div', { class: 'muted' }, t(`status_${tk.status}` as Key), ' · ', t(`p_${editor.base.priority}` as Key), ' · ', `${t('caller')}: ${requestFrom(tk)}`),
      h('div', { class: 'small muted' }, `${t('col_assignees')}: ${editor.base.assignees.map(names).join(', ') || '—'}`),
      tk.status === 'completed' && tk.autoCloseAt && h('div', { class: 'small' }, t('closesBySelf', { time: formatDateTime(tk.autoCloseAt) })),
      h(CustomerWaits, { tk }),
    ),
    // The editor's copy is the newest version when a field was just saved.
    h(Actions, { tk: { ...tk, version: Math.max(tk.version, editor.base.version) }, onDone: () => void reload() }),
    h(PageFields, { editor, viewOnly: !tk.actions.includes('edit') }),
    h(IncidentChildren, { tk, staff: state.agent?.role !== 'agent' }),
    h(
      'section',
      { 'aria-labelledby': 'journal-h' },
      h('h2', { id: 'journal-h' }, t('journal')),
      h(
        'ol',
        { class: 'journal', 'data-testid': 'journal' },
        tk.journal.map((e) =>
          h(
            'li',
            { key: e.id, 'data-kind': e.kind },
            h('span', { class: 'small muted' }, formatDateTime(e.at), ' · ', ...actorText(e), e.callId ? ` · ${t('byCall')}` : ''),
            h('div', null, journalLine(e, names)),
          ),
        ),
      ),
    ),
    h(CustomerMails, { ticketId: tk.id, version: tk.version }),
    h(RequestMails, { ticketId: tk.id, version: tk.version }),
    h(
      'section',
      { 'aria-labelledby': 'calls-h' },
      h('h2', { id: 'calls-h' }, t('requestCalls')),
      tk.calls.length === 0 ? h('p', { class: 'muted' }, t('noCalls')) : h('ul', { class: 'request-calls' }, tk.calls.map((c) => h(CallTimeline, { key: c.id, call: c, now: state.now }))),
    ),
  );
}
