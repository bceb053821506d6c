import t from 'tap';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  capturedCalls,
  inSameForm,
  loadScenario,
  parseFrame,
  splitCalls,
  synthesizeCalls,
  synthesizedCallInfo,
  type AmiFields,
} from '../../helpers/scenarios';
import { harness } from './harness';

t.test('the S10 burst splits into its 50 calls, each with all its channels on one linkedid', async (t) => {
  const s10 = loadScenario('S10-burst');
  const { calls, other } = splitCalls(s10.messages);
  t.same(
    calls.map((c) => c.linkedid),
    s10.truth!.calls.map((c) => c.support_linkedid),
    'the calls the driver placed, in order',
  );
  for (const call of calls) {
    const linked = new Set(call.messages.map((m) => m.fields.Linkedid).filter(Boolean));
    if (linked.size !== 1) t.fail(`call ${call.linkedid} has linkedids ${[...linked].join(', ')}`);
    if (call.channels.length !== 4) t.fail(`call ${call.linkedid} has ${call.channels.length} channels`);
  }
  t.ok(other.every((m) => !m.fields.Linkedid), 'what belongs to no call has no linkedid');
  t.equal(calls.reduce((n, c) => n + c.messages.length, 0) + other.length, s10.messages.length, 'nothing lost or doubled');
  t.ok(calls.every((c) => c.messages.some((m) => m.fields.Event === 'Cdr')), 'CDRs joined to their call');
  t.ok(calls.every((c) => c.messages.some((m) => m.fields.Event === 'BridgeCreate')), 'bridges joined to their call');
});

t.test('the synthesiser produces N calls with unique linkedids whose channels all share their call linkedid', async (t) => {
  const templates = capturedCalls();
  const count = 500;
  const opts = { count, templates, intervalMs: 50, jitterMs: 20, seed: 7, startEpochSec: 1_800_000_000 };
  const byCall = new Map<number, AmiFields[]>();
  let lastT = -1;
  let ordered = true;
  for (const frame of synthesizeCalls(opts)) {
    if (frame.t < lastT) ordered = false;
    lastT = frame.t;
    const fields = parseFrame(frame.data);
    let list = byCall.get(frame.call);
    if (!list) byCall.set(frame.call, (list = []));
    list.push(fields);
  }
  t.ok(ordered, 'frames come in time order');
  t.equal(byCall.size, count, `${count} calls`);

  const infos = [...synthesizedCallInfo(opts)];
  const linkedids = new Set<string>();
  const uniqueids = new Set<string>();
  const channels = new Set<string>();
  const numbers = new Set<string>();
  let problems = 0;
  const problem = (msg: string): void => {
    if (problems++ < 10) t.fail(msg);
  };
  for (const info of infos) {
    const frames = byCall.get(info.call)!;
    const template = info.template;
    if (frames.length !== template.messages.length) problem(`call ${info.call}: ${frames.length} frames`);
    if (!/^\d+\.\d+$/.test(info.linkedid)) problem(`linkedid ${info.linkedid} is not <epoch>.<counter>`);
    if (linkedids.has(info.linkedid)) problem(`linkedid ${info.linkedid} repeated`);
    linkedids.add(info.linkedid);
    const mine = new Set<string>();
    for (const f of frames) {
      if (f.Linkedid !== undefined && f.Linkedid !== info.linkedid) problem(`call ${info.call}: ${f.Event} on linkedid ${f.Linkedid}`);
      if (f.Uniqueid) mine.add(f.Uniqueid);
      if (f.Channel && f.Event === 'Newchannel') {
        if (channels.has(f.Channel)) problem(`channel ${f.Channel} repeated`);
        channels.add(f.Channel);
      }
    }
    for (const uid of mine) {
      if (uniqueids.has(uid)) problem(`uniqueid ${uid} in two calls`);
      uniqueids.add(uid);
    }
    // Same DID, same agents, a fresh valid mobile in the captured number's form.
    const first = frames.find((f) => f.Event === 'Newchannel')!;
    const templateFirst = template.messages.find((m) => m.fields.Event === 'Newchannel')!.fields;
    if (first.Exten !== templateFirst.Exten && template.direction === 'inbound') problem(`call ${info.call}: DID ${first.Exten}`);
    const agents = (fs: AmiFields[]): string[] =>
      fs.filter((f) => f.Event === 'Newchannel').map((f) => f.Channel.replace(/-[0-9a-f]{8}$/, ''));
    if (agents(frames).join() !== agents(template.messages.map((m) => m.fields)).join()) problem(`call ${info.call}: other channels`);
    if (template.customerNumber) {
      const n = info.customerNumber!;
      if (n === template.customerNumber) problem(`call ${info.call} kept the captured number`);
      if (inSameForm(template.customerNumber, n.slice(-10)) !== n) problem(`call ${info.call}: ${n} not in the form of ${template.customerNumber}`);
      const e164 = parsePhoneNumberFromString(`+7${n.slice(-10)}`);
      if (!e164?.isValid() || e164.getType() !== 'MOBILE') problem(`call ${info.call}: ${n} is not a valid Russian mobile`);
      if (numbers.has(n.slice(-10))) problem(`number ${n} repeated`);
      numbers.add(n.slice(-10));
      const raw = frames.map((f) => Object.values(f).join('\n')).join('\n');
      if (raw.includes(template.customerNumber)) problem(`call ${info.call} still mentions ${template.customerNumber}`);
      if (!frames.some((f) => f.CallerIDNum === n || f.Exten === n)) problem(`call ${info.call} does not show ${n}`);
    } else if (info.customerNumber !== null) problem(`withheld call ${info.call} got a number`);
  }
  t.equal(problems, 0, 'every call checks out');
  t.equal(linkedids.size, count, 'linkedids unique');

  // Calls overlap: at some moment many are in progress at once.
  const spans = infos.map((i) => [i.startT, i.startT + (i.template.endT - i.template.startT)]);
  const at = spans[count / 2][0];
  t.ok(spans.filter(([s, e]) => s <= at && e >= at).length > 20, 'calls overlap');
});

t.test('200 overlapping synthesised calls replayed at full speed all reach the client in order', async (t) => {
  const h = await harness(t);
  const count = 200;
  const sent: string[] = [];
  const frames = (function* () {
    for (const f of synthesizeCalls({ count, intervalMs: 20 })) {
      const m = /\r\nUniqueid: ([^\r]*)/i.exec(f.data);
      sent.push(`${/^Event: ([^\r]*)/.exec(f.data)?.[1]} ${m?.[1] ?? ''}`);
      yield f;
    }
  })();
  await h.peer.waitForLogin();
  const started = Date.now();
  const result = await h.peer.replay(frames);
  await h.waitFor(() => h.events.length >= result.frames, () => `every frame (${h.events.length} of ${result.frames} arrived; disconnects: ${JSON.stringify(h.disconnected)})`, 20_000);
  t.equal(h.events.length, result.frames, `${result.frames} events (${(result.bytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
  t.same(
    h.events.map((e) => `${String(e.raw.event)} ${typeof e.raw.uniqueid === 'string' ? e.raw.uniqueid : ''}`),
    sent,
    'same events in the same order',
  );
  const linkedids = new Set(h.events.map((e) => e.raw.linkedid).filter((l) => typeof l === 'string'));
  t.equal(linkedids.size, count, `${count} calls`);
  t.equal(h.peer.liveChannels().length, 0, 'every synthesised call ended');
  t.equal(h.disconnected.length, 0);
});
