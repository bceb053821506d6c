// Recordings and voicemail the PBX made of a call (captures R1, R2 replayed by the real AMI peer
// into the running service): listed on the call with their files and times, kept across a restart,
// and played from RECORDINGS_DIR — byte ranges, the right people only, nothing outside it.
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { freshDatabase } from '../helpers/db';
import { loadScenario, scenarioFrames, type AmiFrame } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';
import { writeWav } from '../helpers/wav';
import { startService, type Service } from './faults/service';

const R1_FILE = '/var/tmp/asterisk-lab-pjsip/support/spool/monitor/support-20261126-115138-79115550201-1795693898.237.wav';
const R2_FILE = '/var/tmp/asterisk-lab-pjsip/support/spool/voicemail/support/100/INBOX/msg0000';
const R1_LINKEDID = '1795693898.237';
const R2_LINKEDID = '1795693908.239';

function recordingsDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-recordings-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** R1 as another call (its ids moved by `k` seconds), its recording's file named `file`. */
function r1As(k: number, file: string): AmiFrame[] {
  const id = String(1795693898 + k);
  return scenarioFrames(loadScenario('R1-recorded')).map((f) => ({
    t: f.t,
    data: f.data.toString().split(R1_FILE).join(file).split('1795693898.').join(`${id}.`),
  }));
}

interface Desk {
  s: Service;
  peer: AmiPeer;
  tokens: Record<'admin' | 'boss' | '101' | '102' | '103', string>;
}

/** The service with RECORDINGS_DIR `dir`, a PBX, agents 101–103 and a supervisor (made unless `existing`). */
async function desk(t: any, dir: string, o: { databaseUrl?: string; existing?: boolean; peer?: AmiPeer } = {}): Promise<Desk> {
  let peer = o.peer;
  if (peer === undefined) {
    const started = await AmiPeer.start({ secret: 'test-secret' });
    t.teardown(() => started.close());
    peer = started;
  }
  const url = o.databaseUrl ?? (await freshDatabase(t)).url;
  const s = await startService(t, { databaseUrl: url, pbx: [{ host: '127.0.0.1', port: peer.port }], config: { recordingsDir: dir } });
  const admin = await s.login('admin', 'admin-password-1');
  if (!o.existing) {
    for (const ext of ['101', '102', '103']) await s.request('POST', '/api/agents', admin, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false });
    await s.request('POST', '/api/agents', admin, { login: 'boss', password: 'boss-password', role: 'supervisor', mustChangePassword: false });
  }
  const tokens = {
    admin,
    boss: await s.login('boss', 'boss-password'),
    '101': await s.login('agent101', 'agent101-password'),
    '102': await s.login('agent102', 'agent102-password'),
    '103': await s.login('agent103', 'agent103-password'),
  };
  return { s, peer, tokens };
}

async function endedCall(d: Desk, linkedid: string) {
  return waitFor(`call ${linkedid} ended and stored`, async () => {
    const list = await d.s.request('GET', '/api/calls?limit=200', d.tokens.admin);
    return list.body.items.find((c: any) => c.linkedid === linkedid && c.endedAt !== null);
  });
}

async function play(d: Desk, token: string, callId: string, n: number | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${d.s.url}/api/calls/${callId}/recordings/${n}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString()) };
}

t.test('R1 and R2: the recording and the voicemail are on their calls, and play from RECORDINGS_DIR to the right people', async (t) => {
  const dir = recordingsDir(t);
  const recording = writeWav(path.join(dir, 'monitor', path.basename(R1_FILE)), 2);
  const voicemail = writeWav(path.join(dir, 'voicemail/support/100/INBOX/msg0000.wav'), 1);
  const d = await desk(t, dir);
  await d.s.app.startIngest();
  await d.peer.replay(loadScenario('R1-recorded'), { speed: 'max' });
  await d.peer.replay(loadScenario('R2-voicemail'), { speed: 'max' });
  const r1 = await endedCall(d, R1_LINKEDID);
  const r2 = await endedCall(d, R2_LINKEDID);

  t.match(r1, { outcome: 'answered', answeredBy: { extension: '101' } });
  t.same(r1.recordings.map((r: any) => [r.kind, r.file, r.available]), [['recording', R1_FILE, undefined]], 'the list names the file, without looking for it');
  const one = (await d.s.request('GET', `/api/calls/${r1.id}`, d.tokens.boss)).body;
  t.same(one.recordings.map((r: any) => [r.kind, r.file, r.available]), [['recording', R1_FILE, true]], 'the call says its recording can be played');
  const startedAt = Date.parse(one.recordings[0].startedAt);
  t.ok(startedAt >= Date.parse(one.startedAt) && startedAt <= Date.parse(one.answeredAt), 'recorded from before the answer (MixMonitor before Dial)');

  t.match(r2, { outcome: 'missed', answeredBy: null });
  const two = (await d.s.request('GET', `/api/calls/${r2.id}`, d.tokens.boss)).body;
  t.same(two.recordings.map((r: any) => [r.kind, r.file, r.mailbox, r.available]), [['voicemail', R2_FILE, '100@support', true]]);
  t.ok(Date.parse(two.recordings[0].startedAt) >= Date.parse(two.legs[0].endedAt), 'left after the phones stopped ringing');

  // The player: the whole file, then ranges as <audio> asks when seeking.
  const whole = await play(d, d.tokens.boss, r1.id, 0);
  t.equal(whole.status, 200);
  t.equal(whole.headers.get('content-type'), 'audio/wav');
  t.equal(whole.headers.get('accept-ranges'), 'bytes');
  t.ok(whole.bytes.equals(recording), 'the very bytes of the file');
  const head = await play(d, d.tokens.boss, r1.id, 0, { range: 'bytes=0-43' });
  t.equal(head.status, 206);
  t.equal(head.headers.get('content-range'), `bytes 0-43/${recording.length}`);
  t.ok(head.bytes.equals(recording.subarray(0, 44)), 'the WAV header');
  const middle = await play(d, d.tokens.boss, r1.id, 0, { range: 'bytes=1000-' });
  t.ok(middle.status === 206 && middle.bytes.equals(recording.subarray(1000)), 'from an offset to the end');
  const tail = await play(d, d.tokens.boss, r1.id, 0, { range: 'bytes=-100' });
  t.ok(tail.status === 206 && tail.bytes.equals(recording.subarray(recording.length - 100)), 'the last 100 bytes');
  const beyond = await play(d, d.tokens.boss, r1.id, 0, { range: `bytes=${recording.length}-` });
  t.equal(beyond.status, 416);
  t.equal(beyond.headers.get('content-range'), `bytes */${recording.length}`);
  const vm = await play(d, d.tokens.boss, r2.id, 0);
  t.ok(vm.status === 200 && vm.bytes.equals(voicemail) && vm.headers.get('content-type') === 'audio/wav', 'the voicemail, found as msg0000.wav');

  // Who may listen: staff, and the agents whose phones were on the call.
  t.equal((await play(d, d.tokens.admin, r1.id, 0)).status, 200, 'an admin');
  t.equal((await play(d, d.tokens['101'], r1.id, 0)).status, 200, 'the agent who answered');
  const stranger = await play(d, d.tokens['103'], r1.id, 0);
  t.equal(stranger.status, 403, 'an agent who was not on the call');
  t.notOk(stranger.bytes.includes(recording.subarray(44, 100)), 'and hears nothing of it');
  t.equal((await play(d, d.tokens['102'], r2.id, 0)).status, 200, 'an agent whose phone rang for the missed call');
  t.equal((await play(d, d.tokens['103'], r2.id, 0)).status, 403);

  // Absent: a recording the call does not have, a file not (or no longer) there.
  t.match((await play(d, d.tokens.boss, r1.id, 1)).json(), { error: 'recording_not_found' });
  unlinkSync(path.join(dir, 'voicemail/support/100/INBOX/msg0000.wav'));
  const gone = await play(d, d.tokens.boss, r2.id, 0);
  t.equal(gone.status, 404);
  t.match(gone.json(), { error: 'recording_not_found' });
  t.equal((await d.s.request('GET', `/api/calls/${r2.id}`, d.tokens.boss)).body.recordings[0].available, false, 'no longer playable');
  for (const n of ['-1', 'x', '1e9', '..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '0%00']) {
    const res = await play(d, d.tokens.boss, r1.id, n);
    t.equal(res.status, 400, `/recordings/${n}: 400`);
    t.equal(res.json().field, 'n', 'naming the field');
  }
});

t.test('a file name from the PBX that leads outside RECORDINGS_DIR is refused, never followed', async (t) => {
  const dir = recordingsDir(t);
  const outside = recordingsDir(t);
  writeWav(path.join(outside, 'secret.wav'));
  writeWav(path.join(dir, 'monitor/inside.wav'));
  symlinkSync(path.join(outside, 'secret.wav'), path.join(dir, 'monitor/escape.wav'));
  symlinkSync(outside, path.join(dir, 'monitor/elsewhere'));
  const d = await desk(t, dir);
  await d.s.app.startIngest();
  const cases: [string, number, string][] = [
    ['/var/spool/asterisk/monitor/../../../../etc/passwd', 403, 'recording_refused'],
    [`/var/spool/asterisk/monitor/../../..${outside}/secret.wav`, 403, 'recording_refused'],
    ['/var/spool/asterisk/monitor/escape.wav', 403, 'recording_refused'],
    ['/var/spool/asterisk/monitor/elsewhere/secret.wav', 403, 'recording_refused'],
    ['/etc/passwd', 404, 'recording_not_found'],
    [`${outside}/secret.wav`, 404, 'recording_not_found'],
    ['/var/spool/asterisk/monitor/inside.wav', 200, ''],
  ];
  for (const [i, [file]] of cases.entries()) await d.peer.replay(r1As(i + 1, file), { speed: 'max' });
  for (const [i, [file, status, error]] of cases.entries()) {
    const call = await endedCall(d, `${1795693898 + i + 1}.237`);
    t.equal(call.recordings[0]?.file, file, `the PBX named ${file}`);
    const res = await play(d, d.tokens.boss, call.id, 0);
    t.equal(res.status, status, `${file}: ${status}`);
    if (error) t.equal(res.json().error, error);
    const detail = (await d.s.request('GET', `/api/calls/${call.id}`, d.tokens.boss)).body;
    t.equal(detail.recordings[0].available, status === 200, `${file}: ${status === 200 ? '' : 'not '}playable`);
  }
});

t.test('a recording started before a restart of the service is still on the call after it', async (t) => {
  const dir = recordingsDir(t);
  writeWav(path.join(dir, 'monitor', path.basename(R1_FILE)));
  const db = await freshDatabase(t);
  const a = await desk(t, dir, { databaseUrl: db.url });
  await a.s.app.startIngest();
  const frames = scenarioFrames(loadScenario('R1-recorded'));
  const cut = 2000; // after MixMonitorStart, before 101 answers
  await a.peer.replay(frames.filter((f) => f.t < cut), { speed: 'max' });
  await waitFor('the live call stored with its recording', async () => {
    await a.s.app.pipeline.drain();
    const live = await a.s.request('GET', '/api/calls?live=true', a.tokens.admin);
    return live.body.items.find((c: any) => c.linkedid === R1_LINKEDID && c.recordings.length === 1);
  });
  await a.s.close();

  // The PBX goes on; a new instance takes the live call from the database and the PBX's channels.
  const b = await desk(t, dir, { databaseUrl: db.url, existing: true, peer: a.peer });
  await b.s.app.startIngest();
  await b.peer.replay(frames.filter((f) => f.t >= cut), { speed: 'max' });
  const call = await endedCall(b, R1_LINKEDID);
  t.match(call, { outcome: 'answered', answeredBy: { extension: '101' } });
  t.same(call.recordings.map((r: any) => [r.kind, r.file]), [['recording', R1_FILE]], 'the recording survived the restart');
  t.equal((await play(b, b.tokens['101'], call.id, 0)).status, 200, 'and plays');
});
