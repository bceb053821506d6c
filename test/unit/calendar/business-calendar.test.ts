// R12: business days follow the production calendar; support is open 08:00–20:00 Moscow time.
import t from 'tap';
import { BusinessCalendar } from '../../../src/calendar/business-calendar';
import { CalendarDataError } from '../../../src/calendar/calendar-data';
import { realCalendar, msk } from './calendar-fixture';

t.test('R12: business days of 2025 and 2026 follow the decrees', async (t) => {
  const cal = await realCalendar();
  const cases: Array<[string, boolean, string]> = [
    ['2025-01-01', false, 'New Year'],
    ['2025-01-08', false, 'the last New Year holiday'],
    ['2025-01-09', true, 'the first working day of 2025'],
    ['2025-02-24', true, '23 Feb 2025 (Sun) is moved to 8 May, not to the Monday'],
    ['2025-05-02', false, '4 Jan moved to Fri 2 May'],
    ['2025-05-08', false, '23 Feb moved to Thu 8 May'],
    ['2025-06-13', false, '8 Mar moved to Fri 13 Jun'],
    ['2025-11-01', true, 'the working Saturday'],
    ['2025-11-03', false, 'Mon 3 Nov off in exchange'],
    ['2025-11-04', false, 'National Unity Day'],
    ['2025-12-31', false, '5 Jan moved to Wed 31 Dec'],
    ['2025-12-30', true, 'an ordinary Tuesday'],
    ['2026-01-09', false, '3 Jan moved to Fri 9 Jan'],
    ['2026-01-12', true, 'the first working day of 2026'],
    ['2026-02-23', false, 'Defender of the Fatherland Day (Mon)'],
    ['2026-03-09', false, '8 Mar (Sun) shifted to Mon 9 Mar'],
    ['2026-05-11', false, '9 May (Sat) shifted to Mon 11 May'],
    ['2026-04-30', true, 'a shortened pre-holiday day is still a business day'],
    ['2026-11-03', true, 'shortened, working'],
    ['2026-12-31', false, '4 Jan moved to Thu 31 Dec'],
    ['2026-12-30', true, 'an ordinary Wednesday'],
    ['2026-01-17', false, 'an ordinary Saturday'],
  ];
  for (const [day, business, why] of cases) t.equal(cal.isBusinessDay(day), business, `${day}: ${why}`);
  t.ok(cal.isShortDay('2026-04-30'));
  t.notOk(cal.isShortDay('2026-04-29'));
  t.equal(cal.dayKind('2026-11-03'), 'short');
});

t.test('R12: a Date is judged by its Moscow calendar day', async (t) => {
  const cal = await realCalendar();
  // 23:30 UTC on Sun 11 Jan 2026 is already Mon 12 Jan 02:30 in Moscow
  const instant = new Date('2026-01-11T23:30:00Z');
  t.equal(cal.dayOf(instant), '2026-01-12');
  t.ok(cal.isBusinessDay(instant));
  t.throws(() => cal.isBusinessDay('2026-02-30'), RangeError);
});

t.test('R12: the line is open 08:00–20:00 Moscow on business days only', async (t) => {
  const cal = await realCalendar();
  t.test('R12: Tue 20 Jan 2026 is closed at 07:59 and open from 08:00', async (t) => {
    t.notOk(cal.isOpen(msk('2026-01-20T07:59:59.999')));
    t.notOk(cal.isOpen(msk('2026-01-20T07:59')));
    t.ok(cal.isOpen(msk('2026-01-20T08:00')));
  });
  t.test('R12: Tue 20 Jan 2026 is open at 19:59:59 and closed from 20:00', async (t) => {
    t.ok(cal.isOpen(msk('2026-01-20T19:59')));
    t.ok(cal.isOpen(msk('2026-01-20T19:59:59.999')));
    t.notOk(cal.isOpen(msk('2026-01-20T20:00')));
    t.notOk(cal.isOpen(msk('2026-01-20T23:30')));
  });
  t.test('R12: a holiday at noon is after hours', async (t) => {
    t.notOk(cal.isOpen(msk('2026-01-05T12:00')));
    t.notOk(cal.isOpen(msk('2025-11-04T12:00')));
  });
  t.test('R12: the working Saturday 1 Nov 2025 is open at noon, an ordinary Saturday is not', async (t) => {
    t.ok(cal.isOpen(msk('2025-11-01T12:00')));
    t.notOk(cal.isOpen(msk('2025-11-08T12:00')));
  });
  t.test('R12: Moscow has no DST: 08:00 Moscow is 05:00 UTC in January and in July', async (t) => {
    t.ok(cal.isOpen(new Date('2026-01-20T05:00:00Z')));
    t.notOk(cal.isOpen(new Date('2026-01-20T04:59:59Z')));
    t.ok(cal.isOpen(new Date('2026-07-15T05:00:00Z')));
    t.notOk(cal.isOpen(new Date('2026-07-15T04:59:59Z')));
    t.notOk(cal.isOpen(new Date('2026-07-15T17:00:00Z')));
    t.ok(cal.isOpen(new Date('2026-07-15T16:59:59Z')));
  });
  t.test('R12: an instant that is a weekday in UTC but Saturday in Moscow is after hours', async (t) => {
    // Fri 16 Jan 2026 22:00 UTC = Sat 17 Jan 01:00 Moscow; and 05:00 UTC Sat = 08:00 Moscow Sat
    t.notOk(cal.isOpen(new Date('2026-01-17T05:00:00Z')));
  });
  t.test('R12: with a Berlin support zone the opening follows Berlin DST', async (t) => {
    const berlin = await realCalendar({ timezone: 'Europe/Berlin' });
    t.ok(berlin.isOpen(new Date('2026-01-20T07:00:00Z'))); // 08:00 CET
    t.notOk(berlin.isOpen(new Date('2026-07-15T05:59:00Z'))); // 07:59 CEST
    t.ok(berlin.isOpen(new Date('2026-07-15T06:00:00Z'))); // 08:00 CEST
  });
  t.test('R12: short-day hours are the admin\'s policy', async (t) => {
    t.ok(cal.isOpen(msk('2026-04-30T19:30')), 'by default a short day keeps the normal hours');
    const short = await realCalendar({ shortDayHours: { open: '08:00', close: '19:00' } });
    t.notOk(short.isOpen(msk('2026-04-30T19:30')));
    t.ok(short.isOpen(msk('2026-04-30T18:59')));
    t.ok(short.isOpen(msk('2026-04-29T19:30')));
    t.same(short.hoursOn('2026-04-30'), { open: '08:00', close: '19:00' });
    t.equal(short.hoursOn('2026-05-01'), null);
  });
  t.test('R12: other support hours can be configured', async (t) => {
    const late = await realCalendar({ hours: { open: '09:30', close: '18:00' } });
    t.notOk(late.isOpen(msk('2026-01-20T09:29')));
    t.ok(late.isOpen(msk('2026-01-20T09:30')));
    t.notOk(late.isOpen(msk('2026-01-20T18:00')));
  });
});

t.test('addBusinessDays counts business days strictly after (or before) the calendar day', async (t) => {
  const cal = await realCalendar();
  t.equal(cal.addBusinessDays('2025-12-30', 1), '2026-01-12');
  t.equal(cal.addBusinessDays('2025-12-30', 5), '2026-01-16');
  t.equal(cal.addBusinessDays('2025-10-31', 1), '2025-11-01');
  t.equal(cal.addBusinessDays('2025-10-31', 2), '2025-11-05');
  t.equal(cal.addBusinessDays('2026-01-03', 0), '2026-01-03', 'n = 0 is the day itself, even a day off');
  t.equal(cal.addBusinessDays('2026-01-12', -1), '2025-12-30');
  t.equal(cal.addBusinessDays('2025-11-05', -1), '2025-11-01');
  t.equal(cal.addBusinessDays(msk('2026-01-11T23:59'), 1), '2026-01-12', 'a Date counts from its Moscow day');
  t.throws(() => cal.addBusinessDays('2026-01-12', 1.5), RangeError);
});

t.test('R12: the admin\'s overrides win over the year files', async (t) => {
  const cal = await realCalendar({
    overrides: {
      daysOff: ['2026-01-12', '2027-11-05'],
      workingDays: ['2026-01-09', '2027-11-13', '2026-04-30'],
      shortDays: ['2026-01-17'],
      notes: [],
    },
    shortDayHours: { open: '10:00', close: '16:00' },
  });
  t.notOk(cal.isBusinessDay('2026-01-12'), 'an added day off');
  t.ok(cal.isBusinessDay('2026-01-09'), 'a removed day off');
  t.ok(cal.isBusinessDay('2027-11-13'), 'an added working Saturday in a provisional year');
  t.notOk(cal.isBusinessDay('2027-11-05'));
  t.equal(cal.dayKind('2026-04-30'), 'working', 'a short day made a normal one');
  t.equal(cal.dayKind('2026-01-17'), 'short', 'a short working Saturday');
  t.ok(cal.isOpen(msk('2026-01-17T15:59')));
  t.notOk(cal.isOpen(msk('2026-01-17T16:00')));
  // Fri 9 Jan 2026 working, 12 Jan off: 30 Dec → 9, 13, 14, 15, 16
  t.equal(cal.autoCloseAt(msk('2025-12-30T10:00')).toISOString(), '2026-01-16T17:00:00.000Z');
  t.equal(cal.addBusinessDays('2025-12-30', 2), '2026-01-13');
});

t.test('R12: a year with no data falls back to the statutory rule and says so', async (t) => {
  const cal = await realCalendar();
  const c = cal.coverage(2031);
  t.equal(c.source, 'fallback');
  t.match(c.warning, /no production calendar data for 2031/);
  // 2031: 1–8 Jan off (Wed–Wed); 23 Feb 2031 is a Sunday → Mon 24 Feb off by art. 112
  t.notOk(cal.isBusinessDay('2031-01-08'));
  t.ok(cal.isBusinessDay('2031-01-09'));
  t.notOk(cal.isBusinessDay('2031-02-24'));
  t.ok(cal.isBusinessDay('2031-02-25'));
  t.equal(cal.coverage(2025).source, 'official');
  t.equal(cal.coverage(2025).warning, null);
  t.equal(cal.coverage(2027).source, 'provisional');
  t.match(cal.coverage(2027).warning, /provisional/);
});

t.test('R12: warnings name the provisional or missing years the line is about to need', async (t) => {
  const cal = await realCalendar();
  t.same(cal.warnings(msk('2025-06-01T12:00')), [], '2025 and 2026 are official');
  const in2026 = cal.warnings(msk('2026-06-01T12:00'));
  t.equal(in2026.length, 1);
  t.match(in2026[0], /2027 production calendar is provisional/);
  const in2027 = cal.warnings(msk('2027-06-01T12:00'));
  t.equal(in2027.length, 2);
  t.match(in2027[1], /no production calendar data for 2028/);
  // New Year's Eve 23:00 UTC is already the next year in Moscow
  t.equal(cal.warnings(new Date('2025-12-31T22:00:00Z')).length, 1);
});

t.test('a calendar with nonsense options is refused with a named error', async (t) => {
  t.throws(() => new BusinessCalendar({ years: [], timezone: 'Mars/Olympus' }), CalendarDataError);
  t.throws(() => new BusinessCalendar({ years: [], hours: { open: '20:00', close: '08:00' } }), CalendarDataError);
  t.throws(() => new BusinessCalendar({ years: [], hours: { open: '8:00', close: '20:00' } }), CalendarDataError);
  const y = { year: 2026, status: 'official' as const, source: 'x', notes: [], daysOff: [], workingDays: [], shortDays: [] };
  t.throws(() => new BusinessCalendar({ years: [y, y] }), CalendarDataError);
});

t.test('an override that removes every business day is an error, not a hang', async (t) => {
  const first = '2026-01-01';
  const daysOff: string[] = [];
  for (let i = 0; i < 400; i++) daysOff.push(new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  const cal = new BusinessCalendar({ years: [], overrides: { daysOff, workingDays: [], shortDays: [], notes: [] } });
  t.throws(() => cal.addBusinessDays('2026-01-01', 1), RangeError);
});
