// Reads the production calendar from disk (config/calendar/) and hands the data to the calendar,
// which does no I/O itself.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type CalendarOverrides,
  type CalendarYear,
  CalendarDataError,
  NO_OVERRIDES,
  parseCalendarOverrides,
  parseCalendarYear,
} from '../calendar/calendar-data';
import { BusinessCalendar, type BusinessCalendarOptions } from '../calendar/business-calendar';

export const OVERRIDES_FILE = 'overrides.json';
const YEAR_FILE = /^(\d{4})\.json$/;

export interface CalendarData {
  years: CalendarYear[];
  overrides: CalendarOverrides;
  /** Files read, for the start-up log. */
  files: string[];
  /** Things worth a log line: stray files in the directory. */
  warnings: string[];
}

/**
 * Reads `<dir>/<year>.json` files and the admin's overrides (`<dir>/overrides.json` unless
 * `overridesPath` says otherwise; a missing overrides file means none). Throws CalendarDataError
 * naming the file and key for anything malformed: the service must not run on a wrong calendar.
 */
export async function loadCalendarData(dir: string, overridesPath?: string): Promise<CalendarData> {
  const overridesFile = overridesPath ?? path.join(dir, OVERRIDES_FILE);
  const names = (await readdir(dir)).sort();
  const years: CalendarYear[] = [];
  const files: string[] = [];
  const warnings: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const m = YEAR_FILE.exec(name);
    if (m) {
      const year = parseCalendarYear(await readJson(file), file);
      if (year.year !== Number(m[1])) {
        throw new CalendarDataError(file, 'year', `says ${year.year} but the file is named for ${m[1]}`);
      }
      years.push(year);
      files.push(file);
    } else if (name.endsWith('.json') && name !== OVERRIDES_FILE && !name.endsWith('.example.json')) {
      warnings.push(`${file}: ignored (calendar files are <year>.json and ${OVERRIDES_FILE})`);
    }
  }
  let overrides = NO_OVERRIDES;
  const raw = await readJson(overridesFile, true);
  if (raw !== undefined) {
    overrides = parseCalendarOverrides(raw, overridesFile);
    files.push(overridesFile);
  }
  return { years, overrides, files, warnings };
}

/** Loads the data and builds the calendar; `warnings` joins the loader's and the calendar's for `now`. */
export async function loadBusinessCalendar(
  dir: string,
  options: Omit<BusinessCalendarOptions, 'years' | 'overrides'> & { overridesPath?: string; now: Date },
): Promise<{ calendar: BusinessCalendar; files: string[]; warnings: string[] }> {
  const { overridesPath, now, ...rest } = options;
  const data = await loadCalendarData(dir, overridesPath);
  const calendar = new BusinessCalendar({ ...rest, years: data.years, overrides: data.overrides });
  return { calendar, files: data.files, warnings: [...data.warnings, ...calendar.warnings(now)] };
}

async function readJson(file: string, optional = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CalendarDataError(file, '(root)', `not valid JSON: ${(err as Error).message}`);
  }
}
