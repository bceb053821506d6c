// The loader reads config/calendar/ and refuses a malformed file by name.
import t, { type Test } from 'tap';
import path from 'node:path';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadBusinessCalendar, loadCalendarData } from '../../../src/config/calendar-files';
import { CalendarDataError } from '../../../src/calendar/calendar-data';
import { CALENDAR_DIR, msk } from './calendar-fixture';

async function tempDir(t: Test, files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'calendar-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const y2026 = { year: 2026, status: 'official', source: 'decree', daysOff: ['2026-01-01/2026-01-11'] };

t.test('the checked-in calendar has 2025 and 2026 official and 2027 provisional', async (t) => {
  const data = await loadCalendarData(CALENDAR_DIR, path.join(CALENDAR_DIR, 'no-such-overrides.json'));
  t.same(data.years.map((y) => [y.year, y.status]), [[2025, 'official'], [2026, 'official'], [2027, 'provisional']]);
  t.same(data.warnings, [], 'README.md and overrides.example.json are not strays');
  t.same(data.overrides.daysOff, []);
});

t.test('the example overrides file is itself valid', async (t) => {
  const data = await loadCalendarData(CALENDAR_DIR, path.join(CALENDAR_DIR, 'overrides.example.json'));
  t.same(data.overrides.daysOff, ['2027-11-05']);
});

t.test('overrides.json beside the year files is read by default', async (t) => {
  const dir = await tempDir(t, { '2026.json': y2026, 'overrides.json': { workingDays: ['2026-01-09'] }, 'notes.json': {} });
  const { calendar, files, warnings } = await loadBusinessCalendar(dir, { now: msk('2026-06-01T12:00') });
  t.ok(calendar.isBusinessDay('2026-01-09'));
  t.notOk(calendar.isBusinessDay('2026-01-08'));
  t.equal(files.length, 2);
  t.match(warnings[0], /notes\.json: ignored/);
  t.match(warnings[1], /no production calendar data for 2027/);
});

t.test('a malformed file stops the load, naming the file', async (t) => {
  const bad = await tempDir(t, { '2026.json': '{ "year": 2026, ' });
  await t.rejects(loadCalendarData(bad), CalendarDataError);
  const misnamed = await tempDir(t, { '2025.json': y2026 });
  await t.rejects(loadCalendarData(misnamed), { name: 'CalendarDataError', field: 'year' });
  const badOverride = await tempDir(t, { 'overrides.json': { daysOff: ['tomorrow'] } });
  await t.rejects(loadCalendarData(badOverride), { name: 'CalendarDataError', field: 'daysOff' });
});
