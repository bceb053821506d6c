// Bounded memory and throughput: the S10 burst (50 overlapping calls, 5,918 messages).
import t from 'tap';
import { parseAmiEvent } from '../../../src/ami/events';
import { readCapture, readTruth, toRawAmi } from '../../helpers/jsonl';
import { newTracker, replayCapture } from './replay';

const wall = readTruth<{ captures: { connected_wall: string }[] }>('S10-burst').captures[0].connected_wall;

t.test('nothing stays in memory once the calls of a burst have ended', (t) => {
  const tracker = newTracker();
  const { facts } = replayCapture('S10-burst', wall, tracker);
  t.equal(facts.filter((f) => f.kind === 'call.ended').length, 50);
  t.equal(tracker.size, 0, 'no call');
  t.equal(tracker.channelCount, 0, 'no channel');
  t.same(tracker.liveCalls(), []);
  t.end();
});

t.test('parsing and tracking keep up with far more than a large call centre sends', (t) => {
  const raws = readCapture('S10-burst').map((r) => ({ raw: toRawAmi(r.fields), t: r.t }));
  const base = Date.parse(wall);
  const rounds = 20;
  let facts = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const tracker = newTracker();
    for (const { raw, t: ms } of raws) {
      const e = parseAmiEvent(raw);
      if (e.kind !== 'ignored' && e.kind !== 'invalid') facts += tracker.apply(e, new Date(base + ms)).length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = (rounds * raws.length) / seconds;
  t.ok(facts > 0);
  // S10 peaks at ~700 messages/s; a large centre is ~50x that.
  t.ok(perSecond > 100_000, `${Math.round(perSecond).toLocaleString('en')} messages/s`);
  t.end();
});
