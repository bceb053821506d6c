// R10: no answer within 5 business days of completion closes the request at 20:00 support time of
// the 5th business day after the calendar day of completion.
import t from 'tap';
import { realCalendar, msk } from './calendar-fixture';

t.test('R10 auto-close deadlines on the checked-in calendar', async (t) => {
  const calendar = await realCalendar();

  t.test('R10: a request completed on Tue 30 Dec 2025 closes at 20:00 Moscow on Fri 16 Jan 2026', async (t) => {
    // given 31 Dec 2025 and 1–11 Jan 2026 are days off (decrees 1335 and 1466)
    // when completed on Tue 30 Dec 2025 at 15:00 Moscow
    const at = calendar.autoCloseAt(msk('2025-12-30T15:00'));
    // then business days 12, 13, 14, 15, 16 January count: closes Fri 16 Jan 20:00 Moscow = 17:00 UTC
    t.equal(at.toISOString(), '2026-01-16T17:00:00.000Z');
  });

  t.test('R10: a request completed on Fri 31 Oct 2025 closes at 20:00 Moscow on Mon 10 Nov 2025 (Sat 1 Nov counts, Mon 3 Nov does not)', async (t) => {
    const at = calendar.autoCloseAt(msk('2025-10-31T11:00'));
    // Sat 1 Nov (1), 2–4 Nov off, Wed 5 (2), Thu 6 (3), Fri 7 (4), Mon 10 (5)
    t.equal(at.toISOString(), '2025-11-10T17:00:00.000Z');
  });

  t.test('R10: a request completed at 21:30 Moscow on Wed 4 Mar 2026 counts from 4 Mar and closes at 20:00 on Thu 12 Mar', async (t) => {
    // the line is closed but it is still 4 March: 5, 6, (7–9 off), 10, 11, 12
    const at = calendar.autoCloseAt(msk('2026-03-04T21:30'));
    t.equal(at.toISOString(), '2026-03-12T17:00:00.000Z');
  });

  t.test('R10: a completion at 01:30 Moscow on Thu 5 Mar 2026 (still 4 Mar in UTC) counts from 5 Mar, in support time', async (t) => {
    const completedAt = new Date('2026-03-04T22:30:00Z');
    // 6, (7–9 off), 10, 11, 12, 13
    t.equal(calendar.autoCloseAt(completedAt).toISOString(), '2026-03-13T17:00:00.000Z');
  });

  t.test('R10: a request completed at exactly 20:00 Moscow counts from that day', async (t) => {
    // Mon 19 Jan 2026 20:00 → 20, 21, 22, 23, 26 January
    t.equal(calendar.autoCloseAt(msk('2026-01-19T20:00')).toISOString(), '2026-01-26T17:00:00.000Z');
  });

  t.test('R10: a request completed on Sat 9 May 2026 (Victory Day) counts from that day off and closes at 20:00 on Mon 18 May', async (t) => {
    // 10–11 May off; Tue 12 (1), 13 (2), 14 (3), 15 (4), Mon 18 (5)
    t.equal(calendar.autoCloseAt(msk('2026-05-09T12:00')).toISOString(), '2026-05-18T17:00:00.000Z');
  });

  t.test('R10: a request completed on an ordinary Sunday closes on the following Friday', async (t) => {
    // Sun 18 Jan 2026 → Mon 19 … Fri 23
    t.equal(calendar.autoCloseAt(msk('2026-01-18T10:00')).toISOString(), '2026-01-23T17:00:00.000Z');
  });

  t.test('R10: the deadline is the end of hours of the closing day, which follows the admin\'s short-day policy', async (t) => {
    const shortPolicy = await realCalendar({ shortDayHours: { open: '08:00', close: '19:00' } });
    // Fri 24 Apr 2026 → 27, 28, 29, 30 (short), Mon 4 May (1–3 May off): closes 20:00 on 4 May
    t.equal(shortPolicy.autoCloseAt(msk('2026-04-24T10:00')).toISOString(), '2026-05-04T17:00:00.000Z');
    // Wed 22 Apr 2026 → 23, 24, 27, 28, 29: normal day
    t.equal(shortPolicy.autoCloseAt(msk('2026-04-22T10:00')).toISOString(), '2026-04-29T17:00:00.000Z');
    // Thu 23 Apr 2026 → 24, 27, 28, 29, 30 (short day): closes at 19:00 Moscow
    t.equal(shortPolicy.autoCloseAt(msk('2026-04-23T10:00')).toISOString(), '2026-04-30T16:00:00.000Z');
    // by default short days keep the normal hours
    t.equal(calendar.autoCloseAt(msk('2026-04-23T10:00')).toISOString(), '2026-04-30T17:00:00.000Z');
  });

  t.test('R10: a deadline in another support time zone closes at 20:00 of that zone', async (t) => {
    const berlin = await realCalendar({ timezone: 'Europe/Berlin' });
    // Mon 19 Jan 2026 in Berlin → Mon 26 Jan 20:00 CET = 19:00 UTC
    t.equal(berlin.autoCloseAt(new Date('2026-01-19T10:00:00Z')).toISOString(), '2026-01-26T19:00:00.000Z');
  });
});
