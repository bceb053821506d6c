// Incidents in the browser: «Создать инцидент» on the board's surge banner (a parent request taking
// in the surge's calls' requests), and on an incident's page its customers' requests with
// «Завершить связанные заявки» once it is completed.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Board } from '../../../wire/board';
import type { Ticket } from '../../../wire/ticket';
import { api, call } from '../api';
import { formatTime } from '../format';
import { t, type Key } from '../i18n';
import { errorText, requestFrom } from '../panel-state';
import { onRequestChange, requestUrl } from '../requests';

const incidentApi = {
  create: (body: { subject: string; description: string; priority: string; callIds: string[] }) =>
    call<{ incident: Ticket; linked: string[] }>('POST', '/api/incidents', body),
  completeChildren: (id: string) => call<{ completed: string[]; left: string[] }>('POST', `/api/tickets/${id}/complete-children`),
};

/** The surge banner of the live board, with the form that makes an incident of it. */
export function SurgeBanner({ surge }: { surge: NonNullable<Board['surge']> }) {
  const loc = useLocation();
  const [open, setOpen] = useState(false);
  const [subject, setSubject] = useState(t('incidentDefaultSubject'));
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState('critical');
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const r = await incidentApi.create({ subject, description, priority, callIds: surge.callIds });
      loc.route(requestUrl(r.incident));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'banner warn', role: 'alert', 'data-testid': 'surge' },
      h('strong', null, t('surgeTitle', { calls: surge.calls, numbers: surge.numbers, since: formatTime(surge.since) })),
      ' ',
      !open && h('button', { type: 'button', onClick: () => setOpen(true), 'data-testid': 'make-incident' }, t('makeIncident')),
    ),
    open &&
      h(
        'form',
        { class: 'incident-form', onSubmit: submit, 'aria-label': t('makeIncident') },
        h('label', { for: 'incident-subject' }, t('subject')),
        h('input', { id: 'incident-subject', value: subject, required: true, onInput: (e: Event) => setSubject((e.target as HTMLInputElement).value) }),
        h('label', { for: 'incident-description' }, t('description')),
        h('textarea', { id: 'incident-description', value: description, required: true, rows: 3, onInput: (e: Event) => setDescription((e.target as HTMLTextAreaElement).value) }),
        h('label', { for: 'incident-priority' }, t('priority')),
        h(
          'select',
          { id: 'incident-priority', value: priority, onChange: (e: Event) => setPriority((e.target as HTMLSelectElement).value) },
          ['critical', 'high'].map((p) => h('option', { key: p, value: p }, t(`p_${p}` as Key))),
        ),
        h('button', { type: 'submit', disabled: !subject.trim() || !description.trim() }, t('makeIncidentSubmit', { count: surge.calls })),
        error && h('p', { class: 'form-error', role: 'alert' }, error),
      ),
  );
}

/** An incident's customers' requests; once it is completed, supervisors complete them with its solution. */
export function IncidentChildren({ tk, staff }: { tk: Ticket; staff: boolean }) {
  const [children, setChildren] = useState<Ticket[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.tickets({ parentId: tk.id, limit: 200 }).then((r) => setChildren(r.items), () => setChildren([]));
  useEffect(() => {
    void load();
    return onRequestChange((changed) => changed.parentId === tk.id && void load());
  }, [tk.id]);
  if (!children || children.length === 0) return null;
  const open = children.filter((c) => c.status === 'registered' || c.status === 'in_progress');
  const completeAll = async () => {
    setError(null);
    try {
      const r = await incidentApi.completeChildren(tk.id);
      setNote(t('childrenCompleted', { count: r.completed.length, left: r.left.length }));
      void load();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'section',
    { 'aria-labelledby': 'children-h', 'data-testid': 'incident-children' },
    h('h2', { id: 'children-h' }, t('incidentChildren', { count: children.length })),
    h(
      'ul',
      null,
      children.map((c) =>
        h('li', { key: c.id, 'data-status': c.status }, h('a', { href: requestUrl(c) }, c.number ?? t('draft')), ' · ', requestFrom(c), ' · ', t(`status_${c.status}` as Key)),
      ),
    ),
    staff && tk.status === 'completed' && open.length > 0 && h('button', { type: 'button', onClick: () => void completeAll(), 'data-testid': 'complete-children' }, t('completeChildren', { count: open.length })),
    note && h('p', { role: 'status' }, note),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
  );
}
