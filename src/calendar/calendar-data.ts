// The production calendar as data: one checked-in file per year plus the admin's overrides
// (format in config/calendar/README.md). This module validates parsed JSON; it reads no files.
import { type CivilDate, eachDay, isCivilDate, yearOf } from './civil-date';

/** `official`: copied from the government decree; `provisional`: derived from the Labour Code rule. */
export const YEAR_STATUSES = ['official', 'provisional'] as const;
export type YearStatus = (typeof YEAR_STATUSES)[number];

/** Lists of dates that differ from "Monday–Friday work, weekends off". */
export interface DayLists {
  /** Not business days (public holidays, moved days off); weekends may be listed too. */
  daysOff: CivilDate[];
  /** Business days at full hours even if a weekend (a decree's working Saturday) or listed off elsewhere. */
  workingDays: CivilDate[];
  /** Business days one hour shorter (pre-holiday, Labour Code art. 95); hours are the admin's policy. */
  shortDays: CivilDate[];
}

export interface CalendarYear extends DayLists {
  year: number;
  status: YearStatus;
  /** Where the facts come from (the decree, or the rule that generated them). */
  source: string;
  notes: string[];
}

export interface CalendarOverrides extends DayLists {
  notes: string[];
}

/** A calendar file that cannot be trusted; `origin` names the file, `field` the offending key. */
export class CalendarDataError extends Error {
  override readonly name = 'CalendarDataError';
  constructor(
    readonly origin: string,
    readonly field: string,
    message: string,
  ) {
    super(`${origin}: ${field}: ${message}`);
  }
}

const LIST_KEYS = ['daysOff', 'workingDays', 'shortDays'] as const;
// A range longer than this is surely a typo (a year's worth of days off).
const MAX_RANGE_DAYS = 62;

export function parseCalendarYear(raw: unknown, origin: string): CalendarYear {
  const obj = asObject(raw, origin);
  rejectUnknownKeys(obj, origin, ['year', 'status', 'source', 'notes', ...LIST_KEYS]);
  const year = obj.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1992 || year > 2200) {
    throw new CalendarDataError(origin, 'year', 'must be a whole year such as 2026');
  }
  const status = obj.status;
  if (typeof status !== 'string' || !(YEAR_STATUSES as readonly string[]).includes(status)) {
    throw new CalendarDataError(origin, 'status', `must be one of ${YEAR_STATUSES.join(', ')}`);
  }
  if (typeof obj.source !== 'string' || obj.source.trim() === '') {
    throw new CalendarDataError(origin, 'source', 'must say where the dates come from');
  }
  const lists = parseLists(obj, origin, year);
  return { year, status: status as YearStatus, source: obj.source, notes: parseNotes(obj, origin), ...lists };
}

export function parseCalendarOverrides(raw: unknown, origin: string): CalendarOverrides {
  const obj = asObject(raw, origin);
  rejectUnknownKeys(obj, origin, ['notes', ...LIST_KEYS]);
  return { notes: parseNotes(obj, origin), ...parseLists(obj, origin, null) };
}

export const NO_OVERRIDES: CalendarOverrides = { daysOff: [], workingDays: [], shortDays: [], notes: [] };

function asObject(raw: unknown, origin: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CalendarDataError(origin, '(root)', 'must be a JSON object');
  }
  return raw as Record<string, unknown>;
}

// Strict keys catch a misspelt list ("dayOff") that would otherwise be silently ignored.
function rejectUnknownKeys(obj: Record<string, unknown>, origin: string, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!key.startsWith('$') && !known.includes(key)) {
      throw new CalendarDataError(origin, key, `unknown key (expected ${known.join(', ')})`);
    }
  }
}

function parseNotes(obj: Record<string, unknown>, origin: string): string[] {
  const notes = obj.notes ?? [];
  if (typeof notes === 'string') return [notes];
  if (!Array.isArray(notes) || notes.some((n) => typeof n !== 'string')) {
    throw new CalendarDataError(origin, 'notes', 'must be a string or a list of strings');
  }
  return notes as string[];
}

function parseLists(obj: Record<string, unknown>, origin: string, year: number | null): DayLists {
  const seen = new Map<CivilDate, string>();
  const out: DayLists = { daysOff: [], workingDays: [], shortDays: [] };
  for (const key of LIST_KEYS) {
    const entries = obj[key] ?? [];
    if (!Array.isArray(entries)) throw new CalendarDataError(origin, key, 'must be a list of dates');
    for (const entry of entries) {
      for (const day of expandEntry(entry, origin, key)) {
        if (year !== null && yearOf(day) !== year) {
          throw new CalendarDataError(origin, key, `${day} is not in ${year}`);
        }
        const other = seen.get(day);
        if (other !== undefined) {
          throw new CalendarDataError(origin, key, `${day} is also listed in ${other}`);
        }
        seen.set(day, key);
        out[key].push(day);
      }
    }
    out[key].sort();
  }
  return out;
}

// An entry is one date `2026-01-01` or an ISO 8601 interval `2026-01-01/2026-01-11` (both ends included).
function expandEntry(entry: unknown, origin: string, key: string): CivilDate[] {
  if (typeof entry !== 'string') throw new CalendarDataError(origin, key, `${String(entry)} is not a date`);
  const [first, last = first, extra] = entry.split('/');
  if (extra !== undefined || !isCivilDate(first) || !isCivilDate(last)) {
    throw new CalendarDataError(origin, key, `"${entry}" is not YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD`);
  }
  if (last < first) throw new CalendarDataError(origin, key, `"${entry}" ends before it starts`);
  const days = eachDay(first, last);
  if (days.length > MAX_RANGE_DAYS) {
    throw new CalendarDataError(origin, key, `"${entry}" spans ${days.length} days; is it a typo?`);
  }
  return days;
}
