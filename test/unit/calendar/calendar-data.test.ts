// The calendar files are validated strictly: a wrong calendar silently moves every R10 deadline.
import t from 'tap';
import { CalendarDataError, parseCalendarOverrides, parseCalendarYear } from '../../../src/calendar/calendar-data';

const base = { year: 2026, status: 'official', source: 'decree', daysOff: [], workingDays: [], shortDays: [] };

t.test('a year file expands ranges, both ends included, and sorts the lists', async (t) => {
  const y = parseCalendarYear({ ...base, daysOff: ['2026-11-04', '2026-01-01/2026-01-03'], notes: 'one note' }, '2026.json');
  t.same(y.daysOff, ['2026-01-01', '2026-01-02', '2026-01-03', '2026-11-04']);
  t.same(y.notes, ['one note']);
  t.equal(y.status, 'official');
});

t.test('a year file is refused, naming the file and key, when', async (t) => {
  const refused = (raw: unknown, field: string, why: string) => {
    t.throws(() => parseCalendarYear(raw, 'x.json'), { name: 'CalendarDataError', field, origin: 'x.json' }, why);
  };
  refused([], '(root)', 'it is not an object');
  refused({ ...base, year: '2026' }, 'year', 'the year is not a number');
  refused({ ...base, status: 'draft' }, 'status', 'the status is unknown');
  refused({ ...base, source: ' ' }, 'source', 'the source is blank');
  refused({ ...base, dayOff: [] }, 'dayOff', 'a key is misspelt');
  refused({ ...base, daysOff: '2026-01-01' }, 'daysOff', 'a list is not a list');
  refused({ ...base, daysOff: ['2026-02-30'] }, 'daysOff', 'a date does not exist');
  refused({ ...base, daysOff: ['01.01.2026'] }, 'daysOff', 'a date is not ISO');
  refused({ ...base, daysOff: [20260101] }, 'daysOff', 'a date is a number');
  refused({ ...base, daysOff: ['2026-01-11/2026-01-01'] }, 'daysOff', 'a range ends before it starts');
  refused({ ...base, daysOff: ['2026-01-01/2026-12-31'] }, 'daysOff', 'a range is implausibly long');
  refused({ ...base, daysOff: ['2027-01-01'] }, 'daysOff', 'a date is in another year');
  refused({ ...base, daysOff: ['2026-11-01/2026-11-04'], workingDays: ['2026-11-01'] }, 'workingDays', 'a date is in two lists');
  refused({ ...base, notes: [1] }, 'notes', 'notes are not text');
  t.doesNotThrow(() => parseCalendarYear({ ...base, $comment: 'ok' }, 'x.json'), '$-keys are comments');
});

t.test('overrides may name any year but not year metadata', async (t) => {
  const o = parseCalendarOverrides({ daysOff: ['2027-11-05'], workingDays: ['2027-11-13', '2028-01-10'] }, 'overrides.json');
  t.same(o.daysOff, ['2027-11-05']);
  t.same(o.workingDays, ['2027-11-13', '2028-01-10']);
  t.same(o.shortDays, []);
  t.throws(() => parseCalendarOverrides({ year: 2027 }, 'overrides.json'), CalendarDataError);
  t.throws(() => parseCalendarOverrides({ daysOff: ['2027-11-05'], shortDays: ['2027-11-05'] }, 'overrides.json'), CalendarDataError);
});
