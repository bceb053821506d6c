import t from 'tap';
import { loadScenario } from '../../helpers/scenarios';
import { harness } from './harness';

t.test('the peer replays a capture at its pace scaled by speed, with long gaps compressed', async (t) => {
  const h = await harness(t);
  const s1 = loadScenario('S1-answered');
  const times = s1.messages.map((m) => m.t);
  const paced = (speed: number, maxGap: number): number =>
    times.slice(1).reduce((sum, at, i) => sum + Math.min(at - times[i], maxGap), 0) / speed;
  await h.peer.waitForLogin();

  for (const [speed, maxGapMs] of [
    [10, Number.POSITIVE_INFINITY],
    [1, 40],
  ]) {
    const expected = paced(speed, maxGapMs);
    const started = performance.now();
    const result = await h.peer.replay(s1, { speed, maxGapMs });
    const took = performance.now() - started;
    t.equal(result.delivered, s1.messages.length);
    t.ok(took >= expected - 5 && took < expected + 250, `speed ${speed}, gaps ≤ ${maxGapMs} ms: ${took.toFixed(0)} ms for ${expected.toFixed(0)} ms expected`);
  }
  await h.waitFor(() => h.events.length === 2 * s1.messages.length, 'both replays');
});
