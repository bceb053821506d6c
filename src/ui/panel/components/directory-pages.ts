// The customer directory: `/contacts` (search, a new customer), `/contacts/<id>` and
// `/organisations/<id>` (edit, their people and requests; an admin erases a person's data).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Contact, Organisation } from '../../../wire/customer';
import type { Ticket } from '../../../wire/ticket';
import { api } from '../api';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';
import { errorText, note, phoneText } from '../panel-state';
import { organisationNamed, requestUrl } from '../requests';
import type { PageProps } from '../store';
import { useReadFor } from './read-for';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function Requests({ filter, title }: { filter: { contactId?: string; organisationId?: string }; title: Key }) {
  const all = filter.contactId ? `contactId=${filter.contactId}` : `organisationId=${filter.organisationId}`;
  const items = useReadFor(all, () => api.tickets({ ...filter, sort: 'newest', limit: 50 }).then((r) => r.items, (): Ticket[] => [])).data;
  return h(
    'section',
    null,
    h('h2', null, t(title), ' ', h('a', { class: 'small', href: `/tickets?view=open&${all}`, 'data-testid': 'all-their-requests' }, t('inTheList'))),
    items === null
      ? h('p', { class: 'muted' }, t('loading'))
      : items.length === 0
        ? h('p', { class: 'muted' }, t('noTickets'))
        : h(
            'ul',
            { 'data-testid': 'customer-requests' },
            items.map((tk) => h('li', { key: tk.id }, h('a', { href: requestUrl(tk) }, tk.number ?? t('draft')), ` · ${t(`status_${tk.status}` as Key)} · ${tk.subject || t('noSubject')}`)),
          ),
  );
}

/** A directory page still loading, or that could not be. */
const notYet = (error: string | null) => h('main', { class: 'page' }, error ? h('p', { class: 'form-error', role: 'alert' }, error) : h('p', { class: 'muted' }, t('loading')));
const heading = (name: string) => [h('a', { href: '/contacts' }, `← ${t('contactsTitle')}`), h('h1', null, name)];

/** A labelled input of a directory form. */
const field = (id: string, label: Key, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => [
  h('label', { for: id }, t(label)),
  h('input', { id, value, onInput: (ev: Event) => set((ev.target as HTMLInputElement).value), ...extra }),
];

export function ContactsPage(_: PageProps) {
  const loc = useLocation();
  const [q, setQ] = useState(loc.query.q ?? '');
  const query = loc.query.q ?? '';
  const { data: found, error: readError } = useReadFor(query, () => {
    const digits = query.replace(/\D/g, '');
    const search = digits.length >= 5 && /^[\d\s()+-]+$/.test(query) ? { phone: query } : query ? { q: query } : {};
    return api.contacts({ ...search, limit: 50 });
  });
  const items = found?.items ?? null;
  const [name, setName] = useState('');
  const [phones, setPhones] = useState('');
  const [emails, setEmails] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const error = createError ?? readError;
  const create = async (ev: Event) => {
    ev.preventDefault();
    setCreateError(null);
    try {
      const made = await api.createContact({ name, phones: list(phones), emails: list(emails) });
      loc.route(`/contacts/${made.id}`);
    } catch (err) {
      setCreateError(errorText(err));
    }
  };
  return h(
    'main',
    { class: 'page contacts-page', 'data-testid': 'contacts-page' },
    h('h1', null, t('contactsTitle')),
    h(
      'form',
      { class: 'list-filters', role: 'search', onSubmit: (ev: Event) => (ev.preventDefault(), loc.route(q.trim() ? `/contacts?q=${encodeURIComponent(q.trim())}` : '/contacts')) },
      h('div', { class: 'filter filter-search' }, h('label', { for: 'contact-search' }, t('search')), h('input', { id: 'contact-search', type: 'search', value: q, onInput: (ev: Event) => setQ((ev.target as HTMLInputElement).value) })),
      h('button', { type: 'submit' }, t('search')),
    ),
    items &&
      (items.length === 0
        ? h('p', { class: 'muted' }, t('noContacts'))
        : h(
            'table',
            { class: 'ticket-table' },
            h('tbody', null, items.map((c) => h('tr', { key: c.id, 'data-testid': 'contact-row' }, h('td', null, h('a', { href: `/contacts/${c.id}` }, c.name)), h('td', null, c.organisationId ? h('a', { href: `/organisations/${c.organisationId}` }, c.organisationName) : ''), h('td', null, c.phones.map((p) => phoneText(p)).join(', ')), h('td', null, c.emails.join(', '))))),
          )),
    h(
      'form',
      { class: 'directory-form', onSubmit: create, 'aria-labelledby': 'new-contact-h' },
      h('h2', { id: 'new-contact-h', style: 'grid-column: 1 / -1' }, t('newContact')),
      ...field('contact-name', 'name', name, setName, { required: true }),
      ...field('contact-phones', 'phones', phones, setPhones, { placeholder: t('commaSeparated') }),
      ...field('contact-emails', 'emails', emails, setEmails, { placeholder: t('commaSeparated') }),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
      h('button', { type: 'submit', class: 'primary' }, t('createContact')),
    ),
  );
}

/**
 * One directory entry: loaded by id, shown in its form, changed by `attempt`s whose errors show.
 * Only the entry of the id in the address is shown: moving from one entry to another, the form
 * never shows (and a save never sends) the previous one's fields, and a late answer for an entry
 * the user has left is dropped.
 */
function useEntry<T>(id: string, load: (id: string) => Promise<T>, onShow: (x: T) => void) {
  const [held, setHeld] = useState<{ id: string; entry: T } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = (x: T) => (setHeld({ id, entry: x }), onShow(x));
  useEffect(() => {
    let live = true;
    setError(null);
    load(id).then(
      (x) => live && show(x),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [id]);
  const attempt = (fn: () => Promise<T>) => async (ev?: Event) => {
    ev?.preventDefault();
    setError(null);
    try {
      show(await fn());
    } catch (err) {
      setError(errorText(err));
    }
  };
  return { entry: held?.id === id ? held.entry : null, error, attempt };
}

export function ContactPage({ state }: PageProps) {
  const id = useRoute().params.id ?? '';
  const [f, setF] = useState({ name: '', phones: '', emails: '', organisation: '', position: '', note: '' });
  const { entry: c, error, attempt } = useEntry(id, api.contact, (x) =>
    setF({ name: x.name, phones: x.phones.join(', '), emails: x.emails.join(', '), organisation: x.organisationName ?? '', position: x.position, note: x.note }),
  );
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const save = attempt(async () => {
    const organisationId = await organisationNamed(f.organisation);
    const saved = await api.patchContact(id, { name: f.name, phones: list(f.phones), emails: list(f.emails), organisationId, position: f.position, note: f.note });
    note(t('userSaved', { login: saved.name }));
    return saved;
  });
  const erase = attempt(async () => (window.confirm(t('eraseConfirm')) ? api.eraseContact(id) : c!));
  if (!c) return notYet(error);
  return h(
    'main',
    { class: 'page contact-page', 'data-testid': 'contact-page' },
    ...heading(c.name),
    c.erasedAt && h('p', { class: 'muted' }, t('erased', { time: formatDateTime(c.erasedAt) })),
    h(
      'form',
      { class: 'directory-form', onSubmit: save },
      ...field('c-name', 'name', f.name, set('name')),
      ...field('c-phones', 'phones', f.phones, set('phones'), { placeholder: t('commaSeparated') }),
      ...field('c-emails', 'emails', f.emails, set('emails'), { placeholder: t('commaSeparated') }),
      ...field('c-organisation', 'organisation', f.organisation, set('organisation')),
      ...field('c-position', 'position', f.position, set('position')),
      ...field('c-note', 'note', f.note, set('note')),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
      h('button', { type: 'submit', class: 'primary' }, t('saveContact')),
    ),
    c.organisationId && h('p', null, h('a', { href: `/organisations/${c.organisationId}` }, c.organisationName)),
    h(Requests, { filter: { contactId: id }, title: 'contactRequests' }),
    state.agent?.role === 'admin' && !c.erasedAt && h('button', { type: 'button', class: 'danger', onClick: () => void erase(), 'data-testid': 'erase-contact' }, t('eraseContact')),
  );
}

export function OrganisationPage(_: PageProps) {
  const id = useRoute().params.id ?? '';
  const [f, setF] = useState({ name: '', inn: '', note: '' });
  const { entry: o, error, attempt } = useEntry<Organisation>(id, api.organisation, (x) => setF({ name: x.name, inn: x.inn, note: x.note }));
  const people = useReadFor(id, () => api.contacts({ organisationId: id, limit: 200 }).then((r) => r.items, (): Contact[] => [])).data ?? [];
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  if (!o) return notYet(error);
  return h(
    'main',
    { class: 'page organisation-page', 'data-testid': 'organisation-page' },
    ...heading(o.name),
    h(
      'form',
      { class: 'directory-form', onSubmit: attempt(() => api.patchOrganisation(id, f)) },
      ...field('o-name', 'name', f.name, set('name')),
      ...field('o-inn', 'inn', f.inn, set('inn'), { inputMode: 'numeric' }),
      ...field('o-note', 'note', f.note, set('note')),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
      h('button', { type: 'submit', class: 'primary' }, t('saveContact')),
    ),
    h('h2', null, t('organisationContacts')),
    h('ul', null, people.map((c) => h('li', { key: c.id }, h('a', { href: `/contacts/${c.id}` }, c.name), c.position && ` · ${c.position}`))),
    h(Requests, { filter: { organisationId: id }, title: 'organisationRequests' }),
  );
}
