// The checked-in calendar, loaded once for the calendar tests, and a Moscow wall-clock helper.
import path from 'node:path';
import { loadCalendarData } from '../../../src/config/calendar-files';
import { BusinessCalendar, type BusinessCalendarOptions } from '../../../src/calendar/business-calendar';

export const CALENDAR_DIR = path.resolve(__dirname, '../../../config/calendar');

export async function realCalendar(options: Omit<BusinessCalendarOptions, 'years'> = {}): Promise<BusinessCalendar> {
  // Read the data with no overrides file, so a local overrides.json cannot change test results.
  const data = await loadCalendarData(CALENDAR_DIR, path.join(CALENDAR_DIR, 'no-such-overrides.json'));
  return new BusinessCalendar({ years: data.years, ...options });
}

/** An instant given as Moscow wall time, e.g. `msk('2025-12-30T15:00')` (Moscow is UTC+3 all year). */
export function msk(local: string): Date {
  return new Date(local.length === 16 ? `${local}:00+03:00` : `${local}+03:00`);
}
