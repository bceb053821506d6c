// `/tickets/new` («Новая заявка»): a request that came without a call — by e-mail, in person or
// otherwise — registered at once, its channel recorded.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Contact } from '../../../wire/customer';
import { CHANNELS as ALL_CHANNELS } from '../../../tickets/vocabulary';
import { api } from '../api';
import { ContactSearch } from './customer-card';
import { PRIORITIES, type Priority } from '../fields';
import { t, type Key } from '../i18n';
import { errorText } from '../panel-state';
import { organisationNamed, requestUrl } from '../requests';
import type { PageProps } from '../store';

/** A person picks how it came; `web` is what the API calls its own. */
const CHANNELS = ALL_CHANNELS.filter((c) => c !== 'web');

export function NewRequest(_: PageProps) {
  const loc = useLocation();
  const [f, setF] = useState({ channel: 'email', callerNumber: '', subject: '', description: '', technicalDetails: '', productVersion: '', priority: 'normal' as Priority });
  const [customer, setCustomer] = useState<Contact | null>(null);
  // Or a customer not in the directory yet, made with the request.
  const [newName, setNewName] = useState('');
  const [newOrganisation, setNewOrganisation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (ev: Event) => setF({ ...f, [k]: (ev.target as HTMLInputElement).value });
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (!f.description.trim()) return setError(t('descriptionRequired'));
    setBusy(true);
    setError(null);
    try {
      let contactId = customer?.id;
      if (!contactId && newName.trim()) {
        const phone = f.callerNumber.trim();
        const organisationId = await organisationNamed(newOrganisation);
        contactId = (await api.createContact({ name: newName.trim(), phones: phone ? [phone] : [], organisationId })).id;
      }
      const made = await api.create({ ...f, callerNumber: f.callerNumber.trim() || null, contactId, register: true });
      loc.route(requestUrl(made));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  const input = (k: 'callerNumber' | 'subject' | 'productVersion', label: Key, extra: Record<string, unknown> = {}) => [
    h('label', { for: `new-${k}` }, t(label)),
    h('input', { id: `new-${k}`, value: f[k], onInput: set(k), ...extra }),
  ];
  const text = (k: 'description' | 'technicalDetails', label: Key, rows: number) => [
    h('label', { for: `new-${k}` }, t(label), k === 'description' && h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    h('textarea', { id: `new-${k}`, rows, value: f[k], required: k === 'description', onInput: set(k) }),
  ];
  return h(
    'main',
    { class: 'page new-request', 'data-testid': 'new-request' },
    h('a', { href: '/tickets' }, t('allRequests')),
    h('h1', null, t('newRequest')),
    h(
      'form',
      { class: 'ticket-form', onSubmit: submit },
      h('div', { class: 'customer-card', 'data-testid': 'new-request-customer' },
        h('h3', null, t('caller')),
        customer
          ? h('p', { 'data-testid': 'customer' }, customer.organisationName ? `${customer.name} · ${customer.organisationName}` : customer.name, ' ', h('button', { type: 'button', class: 'link', onClick: () => setCustomer(null) }, t('changeCustomer')))
          : [
              h(ContactSearch, {
                id: 'new',
                onChoose: (c) => {
                  setCustomer(c);
                  // Their number, unless one was typed.
                  if (!f.callerNumber.trim() && c.phones[0]) setF({ ...f, callerNumber: c.phones[0] });
                },
              }),
              h(
                'div',
                { class: 'inline' },
                h('label', { for: 'new-customer-name' }, t('newContactName')),
                h('input', { id: 'new-customer-name', value: newName, onInput: (ev: Event) => setNewName((ev.target as HTMLInputElement).value) }),
                h('label', { for: 'new-customer-organisation' }, t('organisation')),
                h('input', { id: 'new-customer-organisation', value: newOrganisation, onInput: (ev: Event) => setNewOrganisation((ev.target as HTMLInputElement).value) }),
              ),
            ],
      ),
      h('label', { for: 'new-channel' }, t('channel')),
      h('select', { id: 'new-channel', value: f.channel, onChange: set('channel') }, CHANNELS.map((c) => h('option', { key: c, value: c }, t(`ch_${c}` as Key)))),
      ...input('callerNumber', 'customerPhone', { type: 'tel', placeholder: '+7 921 941-60-04' }),
      ...input('subject', 'subject', { maxLength: 500, placeholder: t('subjectHint') }),
      ...text('description', 'description', 5),
      ...text('technicalDetails', 'technicalDetails', 3),
      ...input('productVersion', 'productVersion', { maxLength: 64, placeholder: '5.2.1' }),
      h('label', { for: 'new-priority' }, t('priority')),
      h('select', { id: 'new-priority', value: f.priority, onChange: set('priority') }, PRIORITIES.map((p) => h('option', { key: p, value: p }, t(`p_${p}` as Key)))),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: busy, 'data-testid': 'register' }, t('register'))),
    ),
  );
}
