// Bounded memory: the S10 burst (50 overlapping calls, 5,918 messages). Throughput is the
// benchmark's to measure (npm run bench), not a test's to assert.
import t from 'tap';
import { readTruth } from '../../helpers/jsonl';
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
