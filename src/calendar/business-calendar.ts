// Business time for the support line (regulation R10, R12): which days are business days, when
// the line is open, and when a completed request closes for silence. Built from calendar data
// (never from paths); every instant is passed in, nothing reads the clock.
import { DateTime, IANAZone } from 'luxon';
import { type CivilDate, isCivilDate, isWeekend, addDays, yearOf } from './civil-date';
import { type CalendarOverrides, type CalendarYear, CalendarDataError, NO_OVERRIDES } from './calendar-data';
import { statutoryYear } from './statutory-rule';

export const DEFAULT_TIMEZONE = 'Europe/Moscow';

/** Support hours of one day as `HH:mm`, open ≤ t < close. */
export interface SupportHours {
  open: string;
  close: string;
}

export const DEFAULT_HOURS: SupportHours = { open: '08:00', close: '20:00' };

/** R10: a completed request closes at the end of support hours of the 5th business day after completion. */
export const AUTO_CLOSE_BUSINESS_DAYS = 5;
/** A missed support-line call is called back within this much support time. */
export const CALLBACK_SUPPORT_HOURS = 2;

export interface BusinessCalendarOptions {
  /** Checked-in years; each is authoritative for its year over the statutory rule. */
  years: readonly CalendarYear[];
  /** The admin's corrections; they win over the year files. */
  overrides?: CalendarOverrides;
  /** IANA zone of support time (TZ_SUPPORT). */
  timezone?: string;
  hours?: SupportHours;
  /** Hours on shortened pre-holiday days: the admin's policy, by default the same as `hours`. */
  shortDayHours?: SupportHours;
}

export type DayKind = 'working' | 'short' | 'off';

/** Where a year's business days come from; `fallback` means no data at all, only the statutory rule. */
export type YearSource = 'official' | 'provisional' | 'fallback';

export interface YearCoverage {
  year: number;
  source: YearSource;
  /** The decree or rule the dates follow. */
  basis: string;
  /** Something the admin should hear about (provisional or missing data), else null. */
  warning: string | null;
}

interface YearTable {
  kinds: Map<CivilDate, DayKind>;
  coverage: YearCoverage;
}

// No real calendar lacks a business day for this long; the bound turns a bad override into an error, not a hang.
const MAX_DAYS_WITHOUT_BUSINESS_DAY = 366;

export class BusinessCalendar {
  readonly timezone: string;
  readonly hours: SupportHours;
  readonly shortDayHours: SupportHours;
  private readonly years = new Map<number, CalendarYear>();
  private readonly overrides: Map<CivilDate, DayKind>;
  // Filled lazily: a year with no data is derived from the statutory rule the first time it is asked for.
  private readonly tables = new Map<number, YearTable>();

  constructor(options: BusinessCalendarOptions) {
    this.timezone = options.timezone ?? DEFAULT_TIMEZONE;
    if (!IANAZone.isValidZone(this.timezone)) {
      throw new CalendarDataError('(options)', 'timezone', `"${this.timezone}" is not an IANA time zone`);
    }
    this.hours = checkHours(options.hours ?? DEFAULT_HOURS, 'hours');
    this.shortDayHours = checkHours(options.shortDayHours ?? this.hours, 'shortDayHours');
    for (const y of options.years) {
      if (this.years.has(y.year)) throw new CalendarDataError('(options)', 'years', `${y.year} given twice`);
      this.years.set(y.year, y);
    }
    this.overrides = kindsOf(options.overrides ?? NO_OVERRIDES);
  }

  /** The support-time calendar day of an instant (a call at 23:30 UTC is already tomorrow in Moscow). */
  dayOf(instant: Date): CivilDate {
    return DateTime.fromJSDate(instant, { zone: this.timezone }).toISODate() as CivilDate;
  }

  dayKind(day: CivilDate | Date): DayKind {
    const d = this.civil(day);
    return this.overrides.get(d) ?? this.table(yearOf(d)).kinds.get(d) ?? (isWeekend(d) ? 'off' : 'working');
  }

  isBusinessDay(day: CivilDate | Date): boolean {
    return this.dayKind(day) !== 'off';
  }

  isShortDay(day: CivilDate | Date): boolean {
    return this.dayKind(day) === 'short';
  }

  /** The support hours of a day, or null when it is not a business day. */
  hoursOn(day: CivilDate | Date): SupportHours | null {
    const kind = this.dayKind(day);
    switch (kind) {
      case 'off':
        return null;
      case 'short':
        return this.shortDayHours;
      case 'working':
        return this.hours;
      default: {
        const _: never = kind;
        return _;
      }
    }
  }

  /** Whether the support line is staffed at this instant (false → calls are flagged `afterHours`). */
  isOpen(instant: Date): boolean {
    // Hours are whole minutes and zone offsets too, so the answer holds for the whole UTC minute;
    // every new call asks, and mostly in the same minute as the last one.
    const minute = Math.floor(instant.getTime() / 60_000);
    if (minute !== this.lastOpen.minute) this.lastOpen = { minute, open: this.isOpenAt(instant) };
    return this.lastOpen.open;
  }

  private lastOpen = { minute: NaN, open: false };

  private isOpenAt(instant: Date): boolean {
    const local = DateTime.fromJSDate(instant, { zone: this.timezone });
    const hours = this.hoursOn(local.toISODate() as CivilDate);
    if (hours === null) return false;
    const minute = local.hour * 60 + local.minute + (local.second + local.millisecond / 1000) / 60;
    return minute >= minutesOf(hours.open) && minute < minutesOf(hours.close);
  }

  /**
   * The `n`-th business day strictly after `day` (before it when `n` < 0); `day` itself when `n` is 0.
   * `day` need not be a business day: counting starts from the calendar day.
   */
  addBusinessDays(day: CivilDate | Date, n: number): CivilDate {
    if (!Number.isInteger(n)) throw new RangeError(`addBusinessDays: n must be a whole number, got ${n}`);
    let d = this.civil(day);
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; left--) {
      let searched = 0;
      do {
        d = addDays(d, step);
        if (++searched > MAX_DAYS_WITHOUT_BUSINESS_DAY) {
          throw new RangeError(`no business day within ${MAX_DAYS_WITHOUT_BUSINESS_DAY} days of ${d}: check the calendar overrides`);
        }
      } while (!this.isBusinessDay(d));
    }
    return d;
  }

  /** The instant support closes on `day` (its own hours; normal hours if it is a day off). */
  closingTime(day: CivilDate | Date): Date {
    const d = this.civil(day);
    const close = (this.hoursOn(d) ?? this.hours).close;
    return DateTime.fromISO(`${d}T${close}`, { zone: this.timezone }).toJSDate();
  }

  /**
   * R10: end of support hours of the 5th business day after the calendar day of completion.
   * The day of completion never counts, whatever the hour or kind of day it was completed on.
   */
  autoCloseAt(completedAt: Date): Date {
    return this.closingTime(this.addBusinessDays(this.dayOf(completedAt), AUTO_CLOSE_BUSINESS_DAYS));
  }

  /**
   * The instant `ms` of support time after `start`: only the support hours of business days count
   * (a short day's own hours, none of a day off), so time left at closing carries to the next
   * business day's opening.
   */
  addSupportTime(start: Date, ms: number): Date {
    let at = start.getTime();
    let left = ms;
    let day = this.dayOf(start);
    for (let searched = 0; searched <= MAX_DAYS_WITHOUT_BUSINESS_DAY; searched++) {
      const hours = this.hoursOn(day);
      if (hours) {
        const open = DateTime.fromISO(`${day}T${hours.open}`, { zone: this.timezone }).toMillis();
        const close = DateTime.fromISO(`${day}T${hours.close}`, { zone: this.timezone }).toMillis();
        const from = Math.max(at, open);
        if (from < close) {
          if (from + left <= close) return new Date(from + left);
          left -= close - from;
        }
      }
      day = addDays(day, 1);
      at = 0;
    }
    throw new RangeError(`no support hours within ${MAX_DAYS_WITHOUT_BUSINESS_DAY} days of ${this.dayOf(start)}: check the calendar overrides`);
  }

  /** When a support-line call missed at `missedAt` is due to be called back. */
  callbackDueAt(missedAt: Date): Date {
    return this.addSupportTime(missedAt, CALLBACK_SUPPORT_HOURS * 3_600_000);
  }

  coverage(year: number): YearCoverage {
    return this.table(year).coverage;
  }

  /**
   * What the admin should be told at `now`: the current and the next support-time year
   * (R10 deadlines of late December fall in January) when either is provisional or has no data.
   */
  warnings(now: Date): string[] {
    const year = yearOf(this.dayOf(now));
    return [year, year + 1].map((y) => this.coverage(y).warning).filter((w): w is string => w !== null);
  }

  private civil(day: CivilDate | Date): CivilDate {
    if (day instanceof Date) return this.dayOf(day);
    if (!isCivilDate(day)) throw new RangeError(`"${day}" is not a YYYY-MM-DD date`);
    return day;
  }

  private table(year: number): YearTable {
    let t = this.tables.get(year);
    if (t === undefined) {
      t = buildTable(year, this.years.get(year));
      this.tables.set(year, t);
    }
    return t;
  }
}

function buildTable(year: number, data: CalendarYear | undefined): YearTable {
  const source = data ?? statutoryYear(year);
  const coverage: YearCoverage =
    data === undefined
      ? {
          year,
          source: 'fallback',
          basis: source.source,
          warning: `no production calendar data for ${year}: using the Labour Code rule only (holidays and their weekend shift, no decree); add the ${year} year file or overrides`,
        }
      : {
          year,
          source: data.status,
          basis: data.source,
          warning:
            data.status === 'provisional'
              ? `the ${year} production calendar is provisional (${data.source}); correct it through the overrides once the decree is published`
              : null,
        };
  return { kinds: kindsOf(source), coverage };
}

function kindsOf(lists: { daysOff: CivilDate[]; workingDays: CivilDate[]; shortDays: CivilDate[] }): Map<CivilDate, DayKind> {
  const kinds = new Map<CivilDate, DayKind>();
  for (const d of lists.daysOff) kinds.set(d, 'off');
  for (const d of lists.workingDays) kinds.set(d, 'working');
  for (const d of lists.shortDays) kinds.set(d, 'short');
  return kinds;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not HH:mm`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function checkHours(hours: SupportHours, field: string): SupportHours {
  if (!HH_MM.test(hours.open) || !HH_MM.test(hours.close) || minutesOf(hours.open) >= minutesOf(hours.close)) {
    throw new CalendarDataError('(options)', field, `${hours.open}–${hours.close} is not an HH:mm range with open before close`);
  }
  return { open: hours.open, close: hours.close };
}
