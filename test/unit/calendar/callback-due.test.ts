// A missed support-line call is due to be called back within 2 hours of support time: only the
// support hours of business days count, on the production calendar.
import t from 'tap';
import { realCalendar, msk } from './calendar-fixture';

t.test('call-back due times in support hours', async (t) => {
  const calendar = await realCalendar();
  const due = (local: string) => calendar.callbackDueAt(msk(local)).toISOString();

  t.equal(due('2026-01-20T10:00'), '2026-01-20T09:00:00.000Z', 'missed at 10:00 on a Tuesday: due 12:00 the same day');
  t.equal(due('2026-01-23T19:30'), '2026-01-26T06:30:00.000Z', 'missed at 19:30 on a Friday: half an hour then, the rest on Monday — due 09:30');
  t.equal(due('2026-03-04T21:00'), '2026-03-05T07:00:00.000Z', 'missed after hours: counted from the next opening, due 10:00');
  t.equal(due('2026-03-07T12:00'), '2026-03-10T07:00:00.000Z', 'missed on a Saturday before the 8 March holidays: due 10:00 on Tuesday 10 March');
  t.equal(due('2025-12-30T19:00'), '2026-01-12T06:00:00.000Z', 'an hour before the New Year holidays, the second after them: due 09:00 on 12 January');
  t.equal(due('2026-01-20T07:59'), '2026-01-20T07:00:00.000Z', 'missed before opening: due two hours after 08:00');
});

t.test('support time added to any instant: zero is the instant itself within hours, the next opening outside', async (t) => {
  const calendar = await realCalendar();
  t.equal(calendar.addSupportTime(msk('2026-01-20T10:00'), 0).toISOString(), '2026-01-20T07:00:00.000Z');
  t.equal(calendar.addSupportTime(msk('2026-01-24T10:00'), 0).toISOString(), '2026-01-26T05:00:00.000Z', 'a Saturday: Monday 08:00');
  t.equal(calendar.addSupportTime(msk('2026-01-20T08:00'), 12 * 3_600_000).toISOString(), '2026-01-20T17:00:00.000Z', 'a whole day of support time ends at closing');
});
