// A request's fields as an agent types them (autosaved by its editor), with the save state, a
// conflict when someone else changed it meanwhile, and its screenshots: the same form in the call's
// panel and on the request's own page.
import { h, type RefObject } from 'preact';
import type { Editor } from '../editor';
import { PRIORITIES, type Field, type Priority } from '../fields';
import { formatTime } from '../format';
import { t, type Key } from '../i18n';
import { CustomerCard } from './customer-card';
import { ScreenshotsField, type Screenshots } from './screenshots';

const FIELD_LABEL: Record<Field, Key> = {
  subject: 'subject',
  description: 'description',
  technicalDetails: 'technicalDetails',
  productVersion: 'productVersion',
  fixedIn: 'fixedIn',
  priority: 'priority',
};

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

export function RequestFields(props: {
  editor: Editor;
  viewOnly: boolean;
  shots: Screenshots;
  subjectRef?: RefObject<HTMLInputElement | null>;
  descriptionRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  const { editor, viewOnly, shots, subjectRef, descriptionRef } = props;
  const tk = editor.base;
  const v = editor.values;
  const id = tk.id;
  const field = (f: Exclude<Field, 'priority'>) => (ev: Event) => editor.set(f, (ev.target as HTMLInputElement).value);
  const release = (f: 'productVersion' | 'fixedIn') =>
    h(
      'div',
      { class: 'release' },
      h('label', { for: `${f}-${id}` }, t(FIELD_LABEL[f])),
      h('input', { id: `${f}-${id}`, value: v[f], maxLength: 64, size: 12, placeholder: '5.2.1', readOnly: viewOnly, onInput: field(f), 'data-testid': f }),
    );
  return [
    h(ConflictPanel, { editor }),
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
    // After the priority: during a call the keyboard goes description → priority → register.
    // The fix's release is known later: shown once the request is registered.
    h('div', { class: 'releases' }, release('productVersion'), tk.status !== 'draft' && release('fixedIn')),
    h(CustomerCard, { editor, viewOnly: viewOnly || editor.readonly }),
    h(ScreenshotsField, { id, shots, readonly: viewOnly || editor.readonly }),
    h(SaveState, { editor }),
  ];
}
