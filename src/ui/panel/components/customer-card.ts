// Who the customer is: on a ringing call, every contact with the number (and their organisation);
// on a request, its customer — chosen from the directory (the caller's number suggests them) or
// created from the request in one step, with the caller's number or the address its mail came from.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Contact } from '../../../wire/customer';
import { api, ApiError } from '../api';
import type { Editor } from '../editor';
import { t } from '../i18n';
import { errorText } from '../panel-state';
import { organisationNamed } from '../requests';

const byNumber = new Map<string, Promise<Contact[]>>();

/** The contacts with this phone number (asked once per number per page load; a new contact clears it). */
export function contactsWithNumber(number: string): Promise<Contact[]> {
  let found = byNumber.get(number);
  if (!found) {
    found = api.contacts({ phone: number, limit: 10 }).then(
      (r) => r.items,
      (err) => {
        byNumber.delete(number);
        throw err;
      },
    );
    byNumber.set(number, found);
  }
  return found;
}

/** Enter in a field of the group does what its button does (the card sits inside the request's form). */
const onEnter = (fn: () => void) => (ev: KeyboardEvent) => {
  if (ev.key === 'Enter' && (ev.target as HTMLElement).tagName === 'INPUT') {
    ev.preventDefault();
    fn();
  }
};

const contactLine = (c: Contact) => (c.organisationName ? `${c.name} · ${c.organisationName}` : c.name);

/** The names a number belongs to, for the pop-up and the caller card. */
export function CallerNames({ number }: { number: string | null }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  useEffect(() => {
    let live = true;
    setContacts([]);
    if (number) contactsWithNumber(number).then((xs) => live && setContacts(xs), () => undefined);
    return () => {
      live = false;
    };
  }, [number]);
  if (contacts.length === 0) return null;
  return h('ul', { class: 'caller-names', 'data-testid': 'caller-names' }, contacts.map((c) => h('li', { key: c.id }, h('a', { href: `/contacts/${c.id}` }, contactLine(c)))));
}

/** Finds a contact by name, organisation or phone and hands the chosen one over. */
export function ContactSearch({ id, onChoose }: { id: string; onChoose: (c: Contact) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    setError(null);
    const text = q.trim();
    try {
      // A number finds by phone (any form); anything else by name, organisation or position.
      const byPhone = /^[\d\s()+-]{5,}$/.test(text);
      setFound(text ? (await api.contacts({ ...(byPhone ? { phone: text } : { q: text }), limit: 10 })).items : null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'div',
    { class: 'contact-search' },
    h(
      'div',
      { class: 'inline', onKeyDown: onEnter(search) },
      h('label', { for: `customer-q-${id}` }, t('findCustomer')),
      h('input', { id: `customer-q-${id}`, type: 'search', value: q, onInput: (ev: Event) => setQ((ev.target as HTMLInputElement).value) }),
      h('button', { type: 'button', onClick: () => void search() }, t('search')),
    ),
    found &&
      (found.length === 0
        ? h('p', { class: 'muted' }, t('noContacts'))
        : h('ul', { class: 'suggested' }, found.map((c) => h('li', { key: c.id }, contactLine(c), ' ', h('button', { type: 'button', onClick: () => onChoose(c) }, t('chooseCustomer')))))),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
  );
}

export function CustomerCard({ editor, viewOnly }: { editor: Editor; viewOnly: boolean }) {
  const tk = editor.base;
  const [choosing, setChoosing] = useState(false);
  const [suggested, setSuggested] = useState<Contact[]>([]);
  const [name, setName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const open = choosing || (!tk.customer && !viewOnly);
  // The address the request's mail came from: the new customer keeps it.
  const sender = open ? tk.senderEmail : null;

  useEffect(() => {
    let live = true;
    if (open && tk.callerNumber) contactsWithNumber(tk.callerNumber).then((xs) => live && setSuggested(xs), () => undefined);
    return () => {
      live = false;
    };
  }, [open, tk.callerNumber]);

  const choose = async (contactId: string | null) => {
    setError(null);
    try {
      // The editor may be saving text meanwhile: the newest version it knows, once more after a 409.
      let updated;
      try {
        updated = await api.setCustomer(tk.id, editor.base.version, contactId);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 409)) throw err;
        editor.receive(await api.ticket(tk.id));
        updated = await api.setCustomer(tk.id, editor.base.version, contactId);
      }
      editor.receive(updated);
      setChoosing(false);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const create = async () => {
    if (!name.trim()) return setError(t('newContactName'));
    setError(null);
    try {
      const organisationId = await organisationNamed(organisation);
      const made = await api.createContact({ name: name.trim(), phones: tk.callerNumber ? [tk.callerNumber] : [], emails: sender ? [sender] : [], organisationId });
      if (tk.callerNumber) byNumber.delete(tk.callerNumber);
      await choose(made.id);
      setName('');
      setOrganisation('');
    } catch (err) {
      setError(errorText(err));
    }
  };
  const id = tk.id;
  return h(
    'section',
    { class: 'customer-card', 'aria-labelledby': `customer-${id}`, 'data-testid': 'customer-card' },
    h('h3', { id: `customer-${id}` }, t('caller')),
    tk.customer
      ? h(
          'p',
          { 'data-testid': 'customer' },
          tk.customer.contactId ? h('a', { href: `/contacts/${tk.customer.contactId}` }, tk.customer.name) : null,
          tk.customer.organisationId && [' · ', h('a', { href: `/organisations/${tk.customer.organisationId}` }, tk.customer.organisationName)],
          !viewOnly && !choosing && [' ', h('button', { type: 'button', class: 'link', onClick: () => setChoosing(true) }, t('changeCustomer'))],
        )
      : h('p', { class: 'muted' }, t('noCustomer')),
    open &&
      !viewOnly &&
      h(
        'div',
        { class: 'customer-choose' },
        suggested.length > 0 &&
          h(
            'ul',
            { class: 'suggested' },
            suggested.map((c) =>
              h('li', { key: c.id }, contactLine(c), ' ', h('button', { type: 'button', onClick: () => void choose(c.id), 'data-testid': 'choose-contact' }, t('chooseCustomer'))),
            ),
          ),
        h(ContactSearch, { id, onChoose: (c) => void choose(c.id) }),
        h(
          'div',
          { class: 'inline new-contact', onKeyDown: onEnter(create), 'data-testid': 'new-contact' },
          h('label', { for: `new-contact-${id}` }, t('newContactName')),
          h('input', { id: `new-contact-${id}`, value: name, onInput: (ev: Event) => setName((ev.target as HTMLInputElement).value) }),
          h('label', { for: `new-contact-org-${id}` }, t('organisation')),
          h('input', { id: `new-contact-org-${id}`, value: organisation, onInput: (ev: Event) => setOrganisation((ev.target as HTMLInputElement).value) }),
          h('button', { type: 'button', onClick: create }, t('createContact')),
          sender && h('span', { class: 'small muted', 'data-testid': 'new-contact-email' }, t('newContactEmail', { email: sender })),
        ),
        choosing && h('button', { type: 'button', class: 'link', onClick: () => setChoosing(false) }, t('cancel')),
      ),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
  );
}
