// What the Labour Code alone says about a year, before any government decree:
// art. 112 (public holidays; a holiday on a weekend moves to the next working day, except the
// January holidays, whose weekend days the decree moves) and art. 95 (the working day right before a
// holiday is one hour shorter). Used for provisional years and for years with no data at all.
import { type CivilDate, addDays, isWeekend } from './civil-date';
import type { CalendarYear } from './calendar-data';

/** Art. 112 public holidays as MM-DD: 1–6 and 8 Jan (New Year holidays), 7 Jan (Christmas), and the rest. */
const HOLIDAYS_MM_DD = [
  '01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08',
  '02-23', '03-08', '05-01', '05-09', '06-12', '11-04',
] as const;

export function publicHolidays(year: number): CivilDate[] {
  return HOLIDAYS_MM_DD.map((md) => `${year}-${md}`);
}

/** The year as art. 112 and art. 95 alone would have it; `status: provisional`. */
export function statutoryYear(year: number): CalendarYear {
  const holidays = publicHolidays(year);
  const off = new Set<CivilDate>(holidays);
  for (const day of holidays) {
    // January's weekend holidays are moved by the decree to dates only it knows: leave them.
    if (!isWeekend(day) || day.slice(5, 7) === '01') continue;
    let next = addDays(day, 1);
    while (isWeekend(next) || off.has(next)) next = addDays(next, 1);
    off.add(next);
  }
  const isWorking = (d: CivilDate) => !isWeekend(d) && !off.has(d);
  const short = new Set<CivilDate>();
  // 31 Dec comes before next year's 1 Jan holiday.
  for (const day of [...holidays, `${year + 1}-01-01`]) {
    const before = addDays(day, -1);
    if (before.startsWith(`${year}-`) && isWorking(before)) short.add(before);
  }
  return {
    year,
    status: 'provisional',
    source: 'Labour Code of the Russian Federation, art. 112 (holidays, weekend shift) and art. 95 (pre-holiday days)',
    notes: [
      'Generated from the statutory rule, not from a decree: January holidays that fall on a weekend are not moved.',
    ],
    daysOff: [...off].filter((d) => d.startsWith(`${year}-`)).sort(),
    workingDays: [],
    shortDays: [...short].sort(),
  };
}
