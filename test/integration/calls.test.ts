// How calls behave in the running service beyond single recorded scenarios: call backs, many
// overlapping calls, a PBX that is down at start, bad input from the PBX.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp, serviceWithPbx } from '../helpers/app';
import { loadScenario, scenarioFrames, synthesizeCalls, synthesizedCallInfo, withNumber } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const setup = serviceWithPbx;

t.test('a missed caller who calls again and is answered: the missed draft is done (callback_done), linked to the new call', async (t) => {
  const { peer, h } = await setup(t);
  await peer.replay(loadScenario('S3-missed'));
  await h.app.pipeline.drain();
  const waiting = await waitFor('the call-back draft', async () => {
    const r = await h.request('GET', '/api/tickets?callbackNeeded=true', h.adminToken);
    return r.body.items[0];
  });
  t.equal(waiting.callerNumber, '+79213334455');
  // The same customer calls again (the S1 recording, from the missed caller's number) and 101 answers.
  await peer.replay(withNumber('S1-answered', '+79111234567', '+79213334455'));
  const done = await waitFor('the draft to be discarded', async () => {
    const r = await h.request('GET', `/api/tickets/${waiting.id}`, h.adminToken);
    return r.body.status === 'discarded' && r.body;
  });
  t.equal(done.discardReason, 'callback_done');
  t.equal(done.callbackNeeded, false);
  t.equal(done.closedAt, null, 'a discarded draft was never closed, as when a person discards it');
  t.equal(done.callIds.length, 2, 'linked to the call that reached the caller');
  const reaching = await h.request('GET', `/api/calls/${done.callIds[1]}`, h.adminToken);
  t.equal(reaching.body.outcome, 'answered');
  t.ok(done.journal.some((e: any) => e.kind === 'status_changed' && e.data.discardReason === 'callback_done'), 'journaled');
  const still = await h.request('GET', '/api/tickets?callbackNeeded=true', h.adminToken);
  t.same(still.body.items, [], 'the call-back list is empty');
});

t.test('an answered call back by an agent (outbound) also reaches the missed caller', async (t) => {
  const { peer, h } = await setup(t);
  // S11 calls 89111234567 back: make the missed call come from that number.
  await peer.replay(withNumber('S3-missed', '+79213334455', '+79111234567'));
  await peer.replay(loadScenario('S11-outbound'));
  const r = await waitFor('the draft to be discarded', async () => {
    const list = await h.request('GET', '/api/tickets?status=discarded', h.adminToken);
    return list.body.items[0];
  });
  t.equal(r.discardReason, 'callback_done');
});

t.test('a withheld missed call waits for a call back that no other withheld call can satisfy', async (t) => {
  const { peer, h } = await setup(t);
  // A withheld caller is missed (S3 with the number withheld), then another withheld caller is answered (S8).
  await peer.replay(withNumber('S3-missed', '+79213334455', 'anonymous'));
  await peer.replay(loadScenario('S8-anonymous'));
  await h.app.pipeline.drain();
  await waitFor('both calls', async () => (await h.request('GET', '/api/calls?live=false', h.adminToken)).body.items.length === 2);
  const waiting = await h.request('GET', '/api/tickets?callbackNeeded=true', h.adminToken);
  t.equal(waiting.body.items.length, 1, 'still waiting for a call back');
  t.equal(waiting.body.items[0].callerNumber, null);
});

t.test('200 overlapping calls at full speed: every call and draft stored, none twice', async (t) => {
  const { peer, h } = await setup(t);
  const count = 200;
  const opts = { count, intervalMs: 20, seed: 7, startEpochSec: Math.floor(Date.now() / 1000) };
  const expected = [...synthesizedCallInfo(opts)];
  const res = await peer.replay(synthesizeCalls(opts), { speed: 'max' });
  t.ok(res.delivered > count * 50, `${res.delivered} events delivered`);
  await waitFor('every call to end', async () => {
    await h.app.pipeline.drain();
    const rows = await h.app.ds.query(`SELECT count(*)::int AS n, count(ended_at)::int AS ended FROM call`);
    return rows[0].n === count && rows[0].ended === count;
  }, 30_000);
  const rows = await h.app.ds.query(
    `SELECT c.linkedid, c.caller_number, (SELECT count(*)::int FROM ticket t WHERE t.origin_call_id = c.id) AS drafts FROM call c`,
  );
  t.equal(rows.length, count, 'one row per call');
  const byLinkedid = new Map(rows.map((r: any) => [r.linkedid, r]));
  let missing = 0;
  let wrongDrafts = 0;
  for (const e of expected) {
    const r: any = byLinkedid.get(e.linkedid);
    if (!r) missing++;
    else if (r.drafts !== 1) wrongDrafts++;
  }
  t.equal(missing, 0, 'no call lost');
  t.equal(wrongDrafts, 0, 'each support call has exactly one draft');
  const dup = await h.app.ds.query(`SELECT count(*)::int AS n FROM ticket`);
  t.equal(dup[0].n, count, 'no draft twice');
});

t.test('with the PBX down at start the service serves, says so, and connects once the PBX is up', async (t) => {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const port = peer.port;
  await peer.close();
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port }] });
  await h.app.startIngest();
  const down = await h.request('GET', '/api/health', null);
  t.equal(down.status, 200);
  t.match(down.body, { status: 'degraded', db: true, pbx: [{ id: 'main', connected: false }] });
  await peer.listen();
  const started = Date.now();
  await waitFor('the connection', async () => (await h.request('GET', '/api/health', null)).body.pbx[0].connected);
  t.ok(Date.now() - started < 5000, 'reconnected within seconds of the PBX being back');
  const up = await h.request('GET', '/api/health', null);
  t.equal(up.body.status, 'ok');
  t.equal(up.body.version, JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version, "health names the release, package.json's version");
});

t.test('a malformed AMI frame is skipped and the next call on the same connection is still handled', async (t) => {
  const { peer, h } = await setup(t);
  peer.inject('Event: Newchannel\r\nChannel: SIP/pstn-0000ffff\r\n\r\n'); // no Uniqueid/Linkedid
  peer.inject('this is not AMI at all\r\n\xff\xfe garbage: ::\r\n\r\n');
  await peer.replay(loadScenario('S1-answered'));
  await waitFor('the call after the garbage', async () => (await h.request('GET', '/api/calls', h.adminToken)).body.items.length === 1);
  t.equal(peer.logins, 1, 'the connection was kept');
  const metrics = await h.request('GET', '/metrics', null);
  t.match(metrics.body, /calldesk_ami_invalid_frames_total\{pbx="main"\} [1-9]/, 'counted in metrics');
});

t.test('a call whose hang-up never comes is closed by the periodic check against the PBX, not left ringing', async (t) => {
  const { peer, h } = await setup(t);
  // S3 with its hang-up events lost on the way.
  const frames = scenarioFrames(loadScenario('S3-missed')).filter((f) => !/^Event: (Hangup|HangupRequest|SoftHangupRequest|DialEnd)\r\n/.test(f.data.toString()));
  await peer.replay(frames);
  await h.app.pipeline.drain();
  const live = await waitFor('the ringing call', async () => (await h.request('GET', '/api/calls?live=true', h.adminToken)).body.items[0]);
  t.equal(live.endedAt, null);
  peer.resetChannels(); // the PBX has long forgotten it
  const ingest = h.app.pbx[0];
  await ingest.checkLive();
  await h.app.pipeline.drain();
  t.equal((await h.request('GET', `/api/calls/${live.id}`, h.adminToken)).body.endedAt, null, 'one check is not enough: the call may have just begun');
  await ingest.checkLive();
  await h.app.pipeline.drain();
  const closed = (await h.request('GET', `/api/calls/${live.id}`, h.adminToken)).body;
  t.ok(closed.endedAt, 'closed at the second check');
  t.match(closed, { gap: true, outcome: 'unknown' });
  t.ok(closed.legs.every((l: any) => l.endedAt !== null), 'no phone is left ringing');
});

t.test("a caller name with quotes, backslashes and SQL in it is stored as sent and harms nothing", async (t) => {
  const { peer, h } = await setup(t);
  const name = `O'Brien \\ "Ltd" '); DROP TABLE call; -- \\'`;
  await peer.replay(withNumber('S1-answered', 'CallerIDName: +79111234567', `CallerIDName: ${name}`));
  const call = await waitFor('the call', async () => (await h.request('GET', '/api/calls', h.adminToken)).body.items[0]);
  t.equal(call.callerName, name);
  const tables = await h.app.ds.query(`SELECT count(*)::int AS n FROM call`);
  t.equal(tables[0].n, 1);
});
