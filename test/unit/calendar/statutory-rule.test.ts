// Labour Code art. 112 / art. 95: what a year looks like before its decree; 2027 ships this way.
import t from 'tap';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { statutoryYear } from '../../../src/calendar/statutory-rule';
import { parseCalendarYear } from '../../../src/calendar/calendar-data';
import { CALENDAR_DIR } from './calendar-fixture';

t.test('art. 112: a non-January holiday on a weekend moves to the next working day', async (t) => {
  const y = statutoryYear(2027);
  // Sat 1 May → Mon 3 May; Sun 9 May → Mon 10 May; Sat 12 Jun → Mon 14 Jun
  for (const d of ['2027-05-03', '2027-05-10', '2027-06-14']) t.ok(y.daysOff.includes(d), `${d} off`);
  t.notOk(y.daysOff.includes('2027-01-11'), 'January weekend holidays are left to the decree');
  t.equal(y.status, 'provisional');
});

t.test('art. 112 reproduces the 2026 decree\'s shifts of non-January holidays', async (t) => {
  const y2026 = statutoryYear(2026);
  t.ok(y2026.daysOff.includes('2026-05-11'), 'Sat 9 May 2026 → Mon 11 May');
  t.ok(y2026.daysOff.includes('2026-03-09'), 'Sun 8 Mar 2026 → Mon 9 Mar');
  t.notOk(y2026.daysOff.includes('2026-05-04'), 'Fri 1 May 2026 needs no shift');
});

t.test('art. 95: the working day right before a holiday is short', async (t) => {
  t.same(statutoryYear(2027).shortDays, ['2027-02-22', '2027-04-30', '2027-06-11', '2027-11-03', '2027-12-31']);
  // the rule reproduces the verified 2026 short days; 31 Dec is short by the rule but the decree made it a day off
  t.same(statutoryYear(2026).shortDays, ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03', '2026-12-31']);
});

t.test('the provisional 2027 file is exactly the statutory rule', async (t) => {
  const file = path.join(CALENDAR_DIR, '2027.json');
  const data = parseCalendarYear(JSON.parse(await readFile(file, 'utf8')), file);
  const rule = statutoryYear(2027);
  t.equal(data.status, 'provisional');
  t.same(data.daysOff, rule.daysOff);
  t.same(data.workingDays, rule.workingDays);
  t.same(data.shortDays, rule.shortDays);
});
