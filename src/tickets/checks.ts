// Runtime checks and comparisons the decider shares: commands may come from HTTP bodies or
// sockets, whatever the types say.
import {
  type EditableField,
  type JournalEventData,
  type Priority,
  type TicketFields,
  type TicketState,
  EDITABLE_FIELDS,
  PRIORITIES,
  TEXT_LIMITS,
} from './ticket';
import { ValidationError } from './errors';

export function pickFields(s: TicketState): TicketFields {
  return {
    subject: s.subject,
    description: s.description,
    technicalDetails: s.technicalDetails,
    productVersion: s.productVersion,
    fixedIn: s.fixedIn,
    contactId: s.contactId,
    organisationId: s.organisationId,
    priority: s.priority,
    assignees: [...s.assignees],
  };
}

export function fieldChange(field: EditableField, s: TicketState, changes: Partial<TicketFields>): JournalEventData['field_changed'] | null {
  switch (field) {
    case 'subject':
    case 'description':
    case 'technicalDetails':
    case 'productVersion':
    case 'fixedIn': {
      const to = changes[field];
      return to === undefined || to === s[field] ? null : { field, from: s[field], to };
    }
    case 'contactId':
    case 'organisationId': {
      const to = changes[field];
      return to === undefined || to === s[field] ? null : { field, from: s[field], to };
    }
    case 'priority': {
      const to = changes.priority;
      return to === undefined || to === s.priority ? null : { field, from: s.priority, to };
    }
    case 'assignees': {
      const to = changes.assignees;
      return to === undefined || sameSet(to, s.assignees) ? null : { field, from: [...s.assignees], to: [...to] };
    }
    default: {
      const _: never = field;
      return _;
    }
  }
}

// Runtime checks: commands may come from HTTP bodies or sockets, whatever the types say.
export function checkFields(fields: Partial<TicketFields>): Partial<TicketFields> | ValidationError {
  if (typeof fields !== 'object' || fields === null) return new ValidationError('changes', 'expected an object of fields');
  const out: Partial<TicketFields> = {};
  for (const key of Object.keys(fields)) {
    if (!(EDITABLE_FIELDS as readonly string[]).includes(key)) {
      return new ValidationError(key, `"${key}" cannot be edited (editable: ${EDITABLE_FIELDS.join(', ')})`);
    }
  }
  if (fields.subject !== undefined) {
    const v = checkText('subject', fields.subject, false, undefined, TEXT_LIMITS.subject);
    if (v instanceof ValidationError) return v;
    out.subject = v;
  }
  for (const field of ['description', 'technicalDetails'] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return new ValidationError(field, `${field} must be text`);
    if (value.length > TEXT_LIMITS.text) return new ValidationError(field, `${field} is longer than ${TEXT_LIMITS.text} characters`);
    out[field] = value; // kept as typed: the agent's text, including line breaks
  }
  for (const field of ['productVersion', 'fixedIn'] as const) {
    if (fields[field] === undefined) continue;
    const v = checkText(field, fields[field], false, undefined, TEXT_LIMITS.version);
    if (v instanceof ValidationError) return v;
    out[field] = v;
  }
  for (const field of ['contactId', 'organisationId'] as const) {
    const v = fields[field];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'string' || v.trim() === '')) return new ValidationError(field, `${field} is an id or null`);
    out[field] = v;
  }
  if (fields.priority !== undefined) {
    if (!isOneOf(PRIORITIES, fields.priority)) {
      return new ValidationError('priority', `priority is one of ${PRIORITIES.join(', ')}`);
    }
    out.priority = fields.priority as Priority;
  }
  if (fields.assignees !== undefined) {
    const a = fields.assignees;
    if (!Array.isArray(a) || a.some((x) => typeof x !== 'string' || x.trim() === '')) {
      return new ValidationError('assignees', 'assignees are a list of agent ids');
    }
    out.assignees = [...new Set(a)];
  }
  return out;
}

/** Trimmed text, or a ValidationError when required and blank, or not text, or too long. */
export function checkText(field: string, value: unknown, required: boolean, blankMessage?: string, max: number = TEXT_LIMITS.text): string | ValidationError {
  if (typeof value !== 'string') return new ValidationError(field, `${field} must be text`);
  const text = value.trim();
  if (required && text === '') return new ValidationError(field, blankMessage ?? `${field} is required`);
  if (text.length > max) return new ValidationError(field, `${field} is longer than ${max} characters`);
  return text;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
