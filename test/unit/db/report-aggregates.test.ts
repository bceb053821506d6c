// Which part of a report's period is read from the hourly sums: only whole hours before the
// coverage; changed hours re-summed as few ranges.
import t from 'tap';
import { dirtyRanges, summedSpan } from '../../../src/db/report-aggregates';

const at = (s: string) => new Date(s);
const span = (s: { from: Date; to: Date }) => [s.from.toISOString(), s.to.toISOString()];

t.test('a period reads the whole summed hours inside it and nothing past the coverage', async (t) => {
  t.same(span(summedSpan(at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), at('2026-12-03T10:00:00Z'))), ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'], 'a past month: all of it');
  t.same(span(summedSpan(at('2026-11-01T10:30:00Z'), at('2026-11-02T08:15:00Z'), at('2026-12-03T10:00:00Z'))), ['2026-11-01T11:00:00.000Z', '2026-11-02T08:00:00.000Z'], 'odd edges: the whole hours within');
  t.same(span(summedSpan(at('2026-11-28T00:00:00Z'), at('2026-12-05T00:00:00Z'), at('2026-12-03T10:00:00Z'))), ['2026-11-28T00:00:00.000Z', '2026-12-03T10:00:00.000Z'], 'up to the coverage, the rest from the rows');
  const none = summedSpan(at('2026-12-04T00:00:00Z'), at('2026-12-05T00:00:00Z'), at('2026-12-03T10:00:00Z'));
  t.equal(none.from.getTime(), none.to.getTime(), 'a period after the coverage reads no sums');
  const nothing = summedSpan(at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), null);
  t.equal(nothing.from.getTime(), nothing.to.getTime(), 'no coverage (other thresholds): no sums');
  const inside = summedSpan(at('2026-11-01T10:10:00Z'), at('2026-11-01T10:50:00Z'), at('2026-12-03T10:00:00Z'));
  t.equal(inside.from.getTime(), inside.to.getTime(), 'less than an hour: no sums');
});

t.test('changed hours are re-summed as ranges, near ones together', async (t) => {
  const h = (s: string) => at(`2026-11-01T${s}:00:00Z`);
  t.same(dirtyRanges([h('20'), h('03'), h('20'), h('04')]).map(span), [['2026-11-01T03:00:00.000Z', '2026-11-01T05:00:00.000Z'], ['2026-11-01T20:00:00.000Z', '2026-11-01T21:00:00.000Z']]);
  t.same(dirtyRanges([h('03'), h('08')]).map(span), [['2026-11-01T03:00:00.000Z', '2026-11-01T09:00:00.000Z']], 'a few hours apart: one range');
  t.same(dirtyRanges([at('2026-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z')]).length, 2, 'far apart: each alone');
  t.same(dirtyRanges([]), []);
});
