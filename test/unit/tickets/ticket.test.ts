// The request's vocabulary: R3 priority order and the journal number format.
import t from 'tap';
import {
  comparePriority,
  formatTicketNumber,
  newDraft,
  parseTicketNumber,
  registrationYear,
} from '../../../src/tickets/ticket';

t.test('R3: requests sort critical, high, normal, low', async (t) => {
  const sorted = (['low', 'normal', 'critical', 'high', 'normal'] as const).slice().sort(comparePriority);
  t.same(sorted, ['critical', 'high', 'normal', 'normal', 'low']);
});

t.test('R1: journal numbers are the year and at least six digits', async (t) => {
  t.equal(formatTicketNumber(2026, 42), '2026-000042');
  t.equal(formatTicketNumber(2026, 1_234_567), '2026-1234567');
  t.throws(() => formatTicketNumber(2026, 0), RangeError);
  t.same(parseTicketNumber(' 2026-000042 '), { year: 2026, sequence: 42 });
  t.same(parseTicketNumber('2026-1234567'), { year: 2026, sequence: 1_234_567 });
  t.equal(parseTicketNumber('2026-42'), null);
  t.equal(parseTicketNumber('2026-000000'), null);
  t.equal(registrationYear(new Date('2025-12-31T21:00:00Z'), 'Europe/Moscow'), 2026);
  t.equal(registrationYear(new Date('2025-12-31T20:59:59Z'), 'Europe/Moscow'), 2025);
});

t.test('a new draft has an id but no number and nothing told', async (t) => {
  const d = newDraft({ id: 'x', createdAt: new Date('2026-01-20T07:00:00Z') });
  t.equal(d.status, 'draft');
  t.equal(d.number, null);
  t.equal(d.priority, 'normal');
  t.equal(d.channel, 'phone');
  t.same(d.assignees, []);
  t.equal(d.numberTold, false);
  t.equal(d.version, 1);
});
