// One request being worked: the form (autosaved), its saved state, a conflict when it was changed
// elsewhere, and the registration with the number shown large. The keyboard goes from the first
// field to registration without the mouse: Tab through the fields, Ctrl+Enter registers, and the
// "number told" box takes the focus once the number is there.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Editor } from '../editor';
import { t, type Key } from '../i18n';
import { anotherProblem, discardDraft, errorText, markNumberTold, register, toggleLinking } from '../live';
import type { Case } from '../store';
import { pastedImage, useScreenshots } from './screenshots';
import { RequestFields } from './request-fields';
import type { Agent } from '../../../wire/agent';
const AGENT_DISCARD_REASONS = ['wrong_number', 'test', 'duplicate'] as const;

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

  return h(
    'div',
    { class: 'ticket-panel', onKeyDown, onPaste, 'data-testid': 'ticket-panel', 'data-ticket-id': id, 'data-status': tk.status },
    tk.number && h(NumberPanel, { editor }),
    viewOnly && !editor.readonly && h('p', { class: 'muted' }, t('readonly')),
    tk.status === 'discarded' && h('p', { class: 'muted' }, statusLine(tk.discardReason)),
    h(
      'form',
      { class: 'ticket-form', onSubmit: (ev: Event) => (ev.preventDefault(), doRegister()), 'aria-label': tk.number ? `${t('request')} ${tk.number}` : t('newRequest') },
      h(RequestFields, { editor, viewOnly, shots, subjectRef, descriptionRef }),
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
