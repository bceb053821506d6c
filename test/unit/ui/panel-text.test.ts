// The panel's pure parts, run in Node (no browser needed): how it writes numbers and times, and
// how it groups the call-back list.
import t from 'tap';
import { groupCallbacks } from '../../../src/ui/panel/callback-groups';
import { formatDateTime, formatDuration, formatPhone, formatSize } from '../../../src/ui/panel/format';
import type { Ticket } from '../../../src/wire/ticket';

t.test('Russian numbers read as +7 (921) 941-60-04; others as they are; withheld stays withheld', async (t) => {
  t.equal(formatPhone('+79219416004'), '+7 (921) 941-60-04');
  t.equal(formatPhone('+442071234567'), '+442071234567');
  t.equal(formatPhone(null), null);
  t.equal(formatPhone(''), null);
});

t.test('times are Moscow time as dd.MM.yyyy HH:mm whatever the computer’s zone', async (t) => {
  t.equal(formatDateTime('2026-01-05T21:30:00Z'), '06.01.2026 00:30');
  t.equal(formatDateTime('2026-07-01T05:07:59Z'), '01.07.2026 08:07');
  t.equal(formatDateTime(null), '');
  t.equal(formatDuration('2026-01-01T10:00:00Z', Date.parse('2026-01-01T10:01:05Z')), '1:05');
  t.equal(formatDuration('2026-01-01T10:00:00Z', 0, '2026-01-01T11:02:03Z'), '1:02:03');
});

t.test('file sizes read as bytes, kilobytes or megabytes with a Russian decimal comma', async (t) => {
  t.equal(formatSize(512), '512 Б');
  t.equal(formatSize(48 * 1024 + 100), '48 КБ');
  t.equal(formatSize(2.5 * 1024 * 1024), '2,5 МБ');
  t.equal(formatSize(25 * 1024 * 1024), '25 МБ');
});

const missed = (id: string, callerNumber: string | null) => ({ id, callerNumber }) as Ticket;

t.test('the call-back list groups missed calls by number and never groups withheld ones', async (t) => {
  const groups = groupCallbacks([missed('a', '+79213334455'), missed('b', null), missed('c', '+79213334455'), missed('d', null), missed('e', '+79110000000')]);
  t.same(
    groups.map((g) => [g.number, g.tickets.map((x) => x.id)]),
    [
      ['+79213334455', ['a', 'c']],
      [null, ['b']],
      [null, ['d']],
      ['+79110000000', ['e']],
    ],
  );
});
