// CSV times as the supervisors' clocks show them, across daylight-saving changes and zones with
// half-hour offsets; fields quoted as Excel needs.
import t from 'tap';
import { DateTime } from 'luxon';
import { csvLine, localTime } from '../../../src/http/csv';

t.test('wall time in the support zone, the same as luxon says, for every hour around DST changes', async (t) => {
  let checked = 0;
  const wrong: string[] = [];
  for (const zone of ['Europe/Moscow', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
    // Every 17 minutes and 13 seconds through 2010–2011 (Moscow still had DST then) and 2026.
    for (const from of [Date.UTC(2010, 0, 1), Date.UTC(2026, 0, 1)]) {
      for (let ms = from; ms < from + 2 * 365 * 86_400_000; ms += 1_033_000) {
        const iso = new Date(ms).toISOString();
        const want = DateTime.fromISO(iso).setZone(zone).toFormat('dd.MM.yyyy HH:mm:ss');
        if (localTime(iso, zone) !== want) wrong.push(`${zone} ${iso}: ${localTime(iso, zone)} ≠ ${want}`);
        checked++;
      }
    }
  }
  t.same(wrong.slice(0, 5), [], `${checked} instants`);
  t.equal(localTime(null, 'Europe/Moscow'), '', 'no time, no text');
  t.equal(localTime('2026-12-05T21:00:00.000Z', 'Europe/Moscow'), '06.12.2026 00:00:00', 'midnight in Moscow is the next day');
});

t.test('a field with ; " or a line break is quoted, quotes doubled', async (t) => {
  t.equal(csvLine(['a;b', 'say "hi"', 'two\nlines', 3, null]), '"a;b";"say ""hi""";"two\nlines";3;\r\n');
});
