// Whatever the PBX connection carries — random bytes, truncated frames, invalid UTF-8, missing or
// repeated headers, unknown events, stray responses, a runaway 10 MB line — the adapter never
// throws, the next good call is still logged with its draft, and memory does not grow with the
// garbage. A runaway line the AMI library cannot bound ends the connection; reconnect and
// reconcile recover.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import v8 from 'node:v8';
import vm from 'node:vm';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { loadScenario, serializeFrame, splitCalls, synthesizeCalls, synthesizedCallInfo } from '../../helpers/scenarios';
import { startService, waitFor, type Service } from '../faults/service';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const settledHeap = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};
const MB = 1024 * 1024;

const S1_CALL = splitCalls(loadScenario('S1-answered').messages).calls;
const S10 = loadScenario('S10-burst').messages.map((m) => m.fields);
let nth = 0;

/** A fresh copy of the recorded S1 call (new ids and caller), as AMI text, with its linkedid. */
function goodCall(): { linkedid: string; text: string } {
  const opts = { count: 1, templates: S1_CALL, seed: 100 + nth, uniqueidCounterStart: 5_000_000 + 100 * nth, channelCounterStart: 0x200000 + 16 * nth, startEpochSec: 1_795_000_000 + nth };
  nth++;
  const [info] = [...synthesizedCallInfo(opts)];
  return { linkedid: info.linkedid, text: [...synthesizeCalls(opts)].map((f) => f.data).join('') };
}

/** Kinds of garbage, each a function giving one blob (already ended by a blank line where it says so). */
const GARBAGE: Record<string, () => string | Buffer> = {
  'random bytes': () => Buffer.concat([randomBytes(2048), Buffer.from('\r\n\r\n')]),
  'random printable text': () => `${randomBytes(1500).toString('base64').replace(/[+/]/g, ': ')}\r\n\r\n`,
  'truncated frames': () => {
    const f = serializeFrame(S10[Math.floor(Math.random() * S10.length)]);
    return `${f.slice(0, Math.floor(Math.random() * (f.length - 4)))}\r\n\r\n`;
  },
  'invalid UTF-8': () =>
    Buffer.concat([Buffer.from('Event: Newchannel\r\nChannel: SIP/pstn-'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('\r\nCallerIDName: '), Buffer.from([0xd0, 0xff, 0xe2, 0x82]), Buffer.from('\r\nUniqueid: 9.1\r\nLinkedid: 9.1\r\n\r\n')]),
  'missing keys': () => ['Event: Newchannel\r\nChannel: SIP/pstn-0000aaaa\r\n\r\n', 'Event: Hangup\r\nCause: 16\r\n\r\n', 'Event: DialBegin\r\nDestChannel: SIP/101-1\r\n\r\n', 'Event: \r\n\r\n', 'Uniqueid: 1.1\r\n\r\n'][Math.floor(Math.random() * 5)],
  'duplicated keys': () => 'Event: Hangup\r\nEvent: Newchannel\r\nUniqueid: 7.1\r\nUniqueid: 7.2\r\nLinkedid: 7.1\r\nLinkedid: 7.9\r\nChannel: SIP/pstn-1\r\nChannel: SIP/101-2\r\n\r\n',
  'unknown events': () => `Event: Frobnicate${Math.floor(Math.random() * 1e6)}\r\nPrivilege: call,all\r\nWhatever: ${randomBytes(8).toString('hex')}\r\n\r\n`,
  'stray responses': () => ['Response: Success\r\nActionID: nobody\r\n\r\n', 'Response: Error\r\nMessage: x\r\n\r\n', 'Response: Follows\r\nPrivilege: Command\r\n\r\n', 'EventList: Complete\r\nActionID: calldesk-x\r\n\r\n', '--END COMMAND--\r\n\r\n'][Math.floor(Math.random() * 5)],
  'header-ish junk': () => ['::::\r\n\r\n', ': no key\r\n\r\n', 'Key With Spaces: v\r\n\r\n', '__proto__: polluted\r\nconstructor: x\r\nEvent: Newexten\r\n\r\n', 'Variable: __proto__=x\r\nEvent: VarSet\r\n\r\n'][Math.floor(Math.random() * 5)],
  'very many headers': () => `Event: Newexten\r\n${Array.from({ length: 5000 }, (_, i) => `H${i}: ${i}`).join('\r\n')}\r\n\r\n`,
};

async function setup(t: any): Promise<{ peer: AmiPeer; s: Service; admin: string }> {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const admin = await s.login('admin', 'admin-password-1');
  await s.request('POST', '/api/agents', admin, { login: 'agent101', password: 'agent101-password', extension: '101', mustChangePassword: false });
  await s.app.startIngest();
  await peer.waitForLogin();
  await waitFor('the first reconcile', () => s.app.pbx[0].status().connected);
  return { peer, s, admin };
}

async function logged(s: Service, linkedid: string): Promise<{ support_line: boolean; drafts: number; ended: boolean }> {
  return waitFor(`call ${linkedid} to be logged and ended`, async () => {
    const rows = await s.app.ds.query(
      `SELECT c.support_line, c.ended_at IS NOT NULL AS ended, (SELECT count(*)::int FROM ticket t WHERE t.origin_call_id = c.id) AS drafts FROM call c WHERE c.linkedid = $1`,
      [linkedid],
    );
    return rows[0]?.ended && rows[0];
  });
}

t.test('after every kind of garbage the next good call is logged with its draft, on the same connection', async (t) => {
  const { peer, s } = await setup(t);
  for (const [kind, make] of Object.entries(GARBAGE)) {
    const call = goodCall();
    // The garbage and the good call in one write: the parser sees them in the same chunk.
    const blobs = Array.from({ length: 20 }, make).map((b) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : b));
    peer.inject(Buffer.concat([...blobs, Buffer.from(call.text, 'latin1')]));
    const row = await logged(s, call.linkedid);
    t.ok(row.support_line && row.drafts === 1, `${kind}: the next call is logged as a support call with its draft`);
  }
  t.equal(peer.logins, 1, 'all on the first connection');
  const metrics = await s.request('GET', '/metrics', null);
  t.match(metrics.body, /calldesk_ami_invalid_frames_total\{pbx="main"\} [1-9]/, 'malformed call events are counted');
  t.equal((await s.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok');
});

t.test('memory does not grow with the garbage', async (t) => {
  const { peer, s } = await setup(t);
  const kinds = Object.values(GARBAGE);
  const round = async () => {
    for (let i = 0; i < 2000; i++) peer.inject(kinds[i % kinds.length]());
    const call = goodCall();
    peer.inject(call.text);
    await logged(s, call.linkedid);
  };
  await round(); // warm-up: caches, JIT, pools
  const before = await settledHeap();
  for (let i = 0; i < 3; i++) await round();
  const after = await settledHeap();
  t.ok(after - before < 8 * MB, `6 000 bad frames later the heap grew by ${((after - before) / MB).toFixed(1)} MB`);
  t.equal(peer.logins, 1, 'on the same connection');
});

t.test('a 10 MB line drops the connection; reconnect and reconcile recover the live call; memory returns', async (t) => {
  const { peer, s, admin } = await setup(t);
  const before = await settledHeap();
  const call = goodCall();
  // The call begins and rings…
  const frames = call.text.split(/(?<=\r\n\r\n)/);
  const answerAt = frames.findIndex((f) => f.startsWith('Event: Newstate') && f.includes('ChannelStateDesc: Up'));
  for (const f of frames.slice(0, answerAt)) peer.send(f); // sent as the PBX would, so it knows the call is live
  await waitFor('the call to ring', async () => (await s.request('GET', '/api/calls?live=true', admin)).body.items.length === 1);
  // …then a line that never ends.
  const started = Date.now();
  peer.inject(`Event: Newexten\r\nAppData: ${'x'.repeat(10 * MB)}`);
  await peer.waitForLogin(2, 10_000);
  t.ok(Date.now() - started < 5000, `the connection was dropped and made again in ${Date.now() - started} ms`);
  await waitFor('the reconcile', () => s.app.pbx[0].status().connected);
  // The PBX still has the call (the peer tracked it): the rest of it arrives on the new connection.
  for (const f of frames.slice(answerAt)) peer.send(f);
  const row = await logged(s, call.linkedid);
  t.ok(row.support_line && row.drafts === 1, 'the call is logged once, with its draft');
  const calls = await s.request('GET', '/api/calls', admin);
  t.equal(calls.body.items.length, 1, 'not twice');
  t.equal(calls.body.items[0].outcome, 'answered', 'its answer after the reconnect was seen');
  const after = await settledHeap();
  t.ok(after - before < 8 * MB, `the 10 MB are not kept: the heap is ${((after - before) / MB).toFixed(1)} MB above where it was`);
});
