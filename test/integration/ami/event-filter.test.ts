// Events the call model does not use (Newexten, VarSet but for the recordings' file names… most of
// a PBX's traffic) are dropped before the parser and only counted: the used ones arrive exactly as
// without the filter, whatever the TCP fragmentation, and the answers to the reconcile's list actions (not used events, but carrying
// our ActionID) still arrive.
import t from 'tap';
import { AMI_EVENT_NAMES, AMI_VARSET_VARIABLES } from '../../../src/ami/events';
import { asReceived, loadScenario, scenarioFrames } from '../../helpers/scenarios';
import { harness } from './harness';

/** What the service parses: the events the model uses, and of VarSet only the recordings' variables. */
const isUsed = (f: Record<string, string>) => AMI_EVENT_NAMES.has(f.Event) && (f.Event !== 'VarSet' || AMI_VARSET_VARIABLES.has(f.Variable));

t.test('with the filter: the used events of S9 (after the reconnect cut into fragments of 1–300 bytes) arrive in order and unchanged; every event counted', async (t) => {
  let skipped = 0;
  const h = await harness(t, { client: { events: AMI_EVENT_NAMES, variables: AMI_VARSET_VARIABLES, onSkipped: (n) => (skipped += n) } });
  const s9 = loadScenario('S9-reconnect-primary');
  const frames = scenarioFrames(s9);
  const cut = frames.findIndex((f) => f.t > 6620);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'first onConnected');

  // Arbitrary fragments, each its own write: frames and lines split anywhere.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fragments = (part: typeof frames) => {
    const bytes = Buffer.concat(part.map((f) => Buffer.from(f.data)));
    const out: { data: Buffer }[] = [];
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(random() * 300);
      out.push({ data: bytes.subarray(i, i + n) });
      i += n;
    }
    return out;
  };
  const used = (part: typeof s9.messages) => part.filter((m) => isUsed(m.fields)).map((m) => asReceived(m.fields));
  // Whole frames, each its own write, so that the peer knows which channels are live.
  await h.peer.replay(frames.slice(0, cut), { batchBytes: 1 });
  const before = used(s9.messages.slice(0, cut));
  await h.waitFor(() => h.events.length === before.length && skipped === cut - before.length, 'the events before the drop').catch((e) => t.fail(`${e.message}: ${h.events.length}/${before.length} events, ${skipped}/${cut - before.length} skipped`));
  t.same(h.events.map((e) => e.raw), before, 'the used events, in order, unchanged');
  t.ok(skipped > before.length, `${skipped} unused events counted, not parsed (${before.length} used)`);

  // A reconnect: the reconcile's list answers (CoreShowChannel, Status) are not dropped.
  h.peer.drop();
  await h.waitFor(() => h.connected.length === 2, 'onConnected after the drop');
  t.ok(h.connected[1].live.length > 0, `the live channels listed after the reconnect (${h.connected[1].live.length})`);
  t.equal(h.connected[1].live.length, h.peer.liveChannels().length);

  await h.peer.replay(fragments(frames.slice(cut)), { batchBytes: 1 });
  const all = used(s9.messages);
  await h.waitFor(() => h.events.length === all.length && skipped === s9.messages.length - all.length, 'every event');
  t.same(h.events.map((e) => e.raw), all, 'every used event once, in order');
});

t.test('of VarSet, the most frequent event, only the frames naming a recording or a voicemail get through, decided on the bytes (R1, R2)', async (t) => {
  let skipped = 0;
  const h = await harness(t, { client: { events: AMI_EVENT_NAMES, variables: AMI_VARSET_VARIABLES, onSkipped: (n) => (skipped += n) } });
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  const messages = [...loadScenario('R1-recorded').messages, ...loadScenario('R2-voicemail').messages];
  const used = messages.filter((m) => isUsed(m.fields)).map((m) => asReceived(m.fields));
  await h.peer.replay([...scenarioFrames(loadScenario('R1-recorded')), ...scenarioFrames(loadScenario('R2-voicemail'))], { batchBytes: 1 });
  await h.waitFor(() => h.events.length === used.length && skipped === messages.length - used.length, 'every event');
  t.same(h.events.map((e) => e.raw), used, 'the used events, in order, unchanged');
  const varSets = h.events.filter((e) => e.raw.event === 'VarSet').map((e) => Object.keys(e.raw.variable as object)[0]);
  t.same(varSets, ['MIXMONITOR_FILENAME', 'VM_MESSAGEFILE'], 'two VarSets of the hundreds sent');
  t.equal(messages.filter((m) => m.fields.Event === 'VarSet').length, 77, 'of the 77 the PBX sent');
});
