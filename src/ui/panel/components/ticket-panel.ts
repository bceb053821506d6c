// One request being worked: the form (autosaved), its saved state, a conflict when it was changed
// elsewhere, and the registration with the number shown large. The keyboard goes from the first
// field to registration without the mouse: Tab through the fields, Ctrl+Enter registers, and the
// "number told" box takes the focus once the number is there.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Editor } from '../editor';
import { formatTime } from '../format';
import { t, type Key } from '../i18n';
import { anotherProblem, discardDraft, errorText, markNumberTold, register, toggleLinking } from '../live';
import type { Case } from '../store';
import { pastedImage, ScreenshotsField, useScreenshots } from './screenshots';
import type { Agent } from '../../../wire/agent';
import { PRIORITIES, type Field, type Priority } from '../fields';

const FIELD_LABEL: Record<Field, Key> = { subject: 'subject', description: 'description', technicalDetails: 'technicalDetails', priority: 'priority' };
const AGENT_DISCARD_REASONS = ['wrong_number', 'test', 'duplicate'] as const;

function SaveState({ editor }: { editor: Editor }) {
  const s = editor.state;
  const text =
    s === 'saved'
      ? editor.savedAt
        ? t('saved', { time: formatTime(editor.savedAt) })
        : t('savedNothing')
      : s === 'pending'
        ? t('unsaved')
        : s === 'saving'
          ? t('saving')
          : s === 'offline'
            ? t('offline')
            : s === 'conflict'
              ? t('conflictTitle')
              : t('saveError', { message: editor.error ?? '' });
  return h('div', { class: `save-state ${s}`, role: 'status', 'aria-live': 'polite', 'data-testid': 'save-state', 'data-state': s }, text);
}

function ConflictPanel({ editor }: { editor: Editor }) {
  const c = editor.conflict;
  if (!c) return null;
  const value = (f: Field) => (f === 'priority' ? t(`p_${c.theirs.priority}` as Key) : String(c.theirs[f] ?? ''));
  return h(
    'section',
    { class: 'conflict', role: 'alert', 'data-testid': 'conflict' },
    h('h3', null, t('conflictTitle')),
    h('p', null, t('conflictText')),
    c.fields.map((f) =>
      h('div', { key: f, class: 'conflict-field' }, h('div', { class: 'small muted' }, t('conflictTheirs', { field: t(FIELD_LABEL[f]) })), h('pre', { class: 'theirs' }, value(f))),
    ),
    h('p', { class: 'small muted' }, t('conflictMine')),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onClick: () => editor.keepMine() }, t('keepMine')),
      h('button', { type: 'button', onClick: () => editor.takeTheirs() }, t('takeTheirs')),
    ),
  );
}

function NumberPanel({ editor }: { editor: Editor }) {
  const tk = editor.base;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const boxRef = useRef<HTMLInputElement>(null);
  // The number just appeared: the next key the agent presses (Space) ticks "told".
  useEffect(() => {
    if (!tk.numberTold) boxRef.current?.focus();
  }, [tk.number]);
  const tell = async () => {
    setBusy(true);
    setError(null);
    try {
      await markNumberTold(tk.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return h(
    'section',
    { class: 'number-panel', 'aria-labelledby': `num-${tk.id}`, 'data-testid': 'number-panel', 'data-told': String(tk.numberTold) },
    h('div', { class: 'small', id: `num-${tk.id}` }, t('registeredNumber')),
    h('div', { class: 'big-number', 'data-testid': 'ticket-number', 'aria-live': 'assertive' }, tk.number),
    h('div', { class: 'muted' }, t('readNumber')),
    h(
      'label',
      { class: 'told' },
      h('input', {
        ref: boxRef,
        type: 'checkbox',
        checked: tk.numberTold,
        disabled: tk.numberTold || busy,
        'data-testid': 'number-told',
        onChange: () => void tell(),
      }),
      ' ',
      t('numberTold'),
    ),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
  );
}

export function TicketPanel(props: { editor: Editor; kase: Case; agent: Agent; focusRequest: number; focused: boolean }) {
  const { editor, kase, agent } = props;
  const tk = editor.base;
  const v = editor.values;
  const id = tk.id;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [discardReason, setDiscardReason] = useState<string>('wrong_number');
  const subjectRef = useRef<HTMLInputElement>(null);
  const shots = useScreenshots(id, kase.callId);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (props.focused && props.focusRequest > 0 && tk.status === 'draft') subjectRef.current?.focus();
  }, [props.focusRequest]);

  const isDraft = tk.status === 'draft';
  const viewOnly = editor.readonly || (!isDraft && agent.role === 'agent' && !tk.assignees.includes(agent.id));
  const act = async (name: string, fn: () => Promise<void>) => {
    if (busy) return;
    setBusy(name);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error && !('status' in err) ? err.message : errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const doRegister = () => {
    if (!v.description.trim()) {
      setError(t('descriptionRequired'));
      descriptionRef.current?.focus();
      return;
    }
    void act('register', () => register(id, kase.callId));
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && isDraft && !viewOnly) {
      ev.preventDefault();
      doRegister();
    }
  };
  const onPaste = (ev: ClipboardEvent) => {
    const image = pastedImage(ev);
    if (!image || !shots.supported || viewOnly) return;
    ev.preventDefault();
    void shots.upload(image);
  };
  const field = (f: 'subject' | 'description' | 'technicalDetails') => (ev: Event) => editor.set(f, (ev.target as HTMLInputElement).value);

  return h(
    'div',
    { class: 'ticket-panel', onKeyDown, onPaste, 'data-testid': 'ticket-panel', 'data-ticket-id': id, 'data-status': tk.status },
    tk.number && h(NumberPanel, { editor }),
    h(ConflictPanel, { editor }),
    viewOnly && !editor.readonly && h('p', { class: 'muted' }, t('readonly')),
    tk.status === 'discarded' && h('p', { class: 'muted' }, statusLine(tk.discardReason)),
    h(
      'form',
      { class: 'ticket-form', onSubmit: (ev: Event) => (ev.preventDefault(), doRegister()), 'aria-label': tk.number ? `${t('request')} ${tk.number}` : t('newRequest') },
      h('label', { for: `subject-${id}` }, t('subject')),
      h('input', {
        id: `subject-${id}`,
        ref: subjectRef,
        value: v.subject,
        maxLength: 500,
        placeholder: t('subjectHint'),
        readOnly: viewOnly,
        onInput: field('subject'),
        'data-testid': 'subject',
      }),
      h('label', { for: `description-${id}` }, t('description'), h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
      h('textarea', {
        id: `description-${id}`,
        ref: descriptionRef,
        rows: 5,
        value: v.description,
        required: true,
        'aria-required': 'true',
        readOnly: viewOnly,
        onInput: field('description'),
        'data-testid': 'description',
      }),
      h('label', { for: `technical-${id}` }, t('technicalDetails')),
      h('textarea', {
        id: `technical-${id}`,
        rows: 3,
        value: v.technicalDetails,
        placeholder: t('technicalHint'),
        readOnly: viewOnly,
        onInput: field('technicalDetails'),
        'data-testid': 'technical-details',
      }),
      h(
        'fieldset',
        { class: 'priority', 'aria-describedby': `priority-hint-${id}` },
        h('legend', null, t('priority')),
        h(
          'div',
          { class: 'priority-options' },
          PRIORITIES.map((p) =>
            h(
              'label',
              { key: p, class: `priority-option p-${p}${v.priority === p ? ' checked' : ''}` },
              h('input', {
                type: 'radio',
                name: `priority-${id}`,
                value: p,
                checked: v.priority === p,
                disabled: viewOnly,
                onChange: () => editor.set('priority', p as Priority),
              }),
              ' ',
              t(`p_${p}` as Key),
            ),
          ),
        ),
        h('p', { id: `priority-hint-${id}`, class: 'hint' }, t('priorityHint')),
      ),
      h(ScreenshotsField, { id, shots, readonly: viewOnly || editor.readonly }),
      h(SaveState, { editor }),
      error && h('p', { class: 'form-error', role: 'alert', 'data-testid': 'action-error' }, error),
      h(
        'div',
        { class: 'actions' },
        isDraft &&
          !viewOnly &&
          h(
            'button',
            { type: 'submit', class: 'primary', disabled: !!busy, 'aria-keyshortcuts': 'Control+Enter', 'data-testid': 'register' },
            busy === 'register' ? t('registering') : t('register'),
            h('span', { class: 'kbd', 'aria-hidden': 'true' }, t('registerKey')),
          ),
        tk.status !== 'discarded' &&
          !viewOnly &&
          h(
            'button',
            { type: 'button', disabled: !!busy, title: t('anotherProblemHint'), 'data-testid': 'another-problem', onClick: () => void act('another', () => anotherProblem(kase.id, id)) },
            t('anotherProblem'),
          ),
        isDraft &&
          kase.callId &&
          !viewOnly &&
          h(
            'button',
            { type: 'button', 'aria-expanded': kase.linking, title: t('aboutExistingHint'), 'data-testid': 'about-existing', onClick: () => toggleLinking(kase.id) },
            kase.linking ? t('hideLinking') : t('aboutExisting'),
          ),
      ),
      isDraft &&
        !viewOnly &&
        h(
          'details',
          { class: 'discard' },
          h('summary', null, t('discardDraft')),
          h(
            'div',
            { class: 'actions' },
            h('label', { for: `discard-${id}` }, t('discardReason')),
            h(
              'select',
              { id: `discard-${id}`, value: discardReason, onChange: (e: Event) => setDiscardReason((e.target as HTMLSelectElement).value) },
              AGENT_DISCARD_REASONS.map((r) => h('option', { key: r, value: r }, t(`r_${r}` as Key))),
            ),
            h('button', { type: 'button', disabled: !!busy, onClick: () => void act('discard', () => discardDraft(id, discardReason)) }, t('discardDraft')),
          ),
        ),
    ),
  );
}

function statusLine(reason: string | null): string {
  return `${t('status_discarded')}${reason ? `: ${t(`r_${reason}` as Key)}` : ''}`;
}
