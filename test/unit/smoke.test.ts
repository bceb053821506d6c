import t from 'tap';
import { OUTCOMES } from '../../src/calls/model';
t.test('outcomes are the three the design names', async (t) => {
  t.same([...OUTCOMES], ['answered', 'missed', 'unknown']);
});
