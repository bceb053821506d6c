// The supervisors' live board, end to end: a real AMI peer replays recorded calls into the real
// service, agents open and close real sockets, the PBX pauses a queue member — and the board
// (GET /api/board and the `board.updated` pushes) follows each step.
import t from 'tap';
import { serviceWithPbx } from '../../helpers/app';
import { loadScenario, scenarioFrames, type AmiFrame } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

/** The frames recorded before `ms` into the capture, and the rest. */
function splitAt(frames: AmiFrame[], ms: number): [AmiFrame[], AmiFrame[]] {
  return [frames.filter((f) => f.t < ms), frames.filter((f) => f.t >= ms)];
}

t.test('presence follows sockets and the call: offline → available → ringing → on a call → available → offline', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const board = await h.socket(boss.token);
  await board.next((m) => m.type === 'snapshot');
  board.ws.send(JSON.stringify({ type: 'board.watch' }));
  const presenceOf = (ext: string) => (m: any) => m.type === 'board.updated' && m.board.agents.find((a: any) => a.extension === ext)?.presence;
  const seen = async (ext: string, presence: string) => {
    const m = await board.next((x) => presenceOf(ext)(x) === presence && !board.messages.slice(board.messages.indexOf(x) + 1).some((y) => presenceOf(ext)(y)), 5000);
    return m.board.agents.find((a: any) => a.extension === ext);
  };
  const first = await board.next((m) => m.type === 'board.updated');
  t.equal(first.board.agents.find((a: any) => a.extension === '101').presence, 'offline', 'nobody has the panel open yet');

  const a101 = await h.login('agent101', 'agent101-password');
  const ws101 = await h.socket(a101);
  await ws101.next((m) => m.type === 'snapshot');
  const available = await seen('101', 'available');
  t.ok(available.since, 'available since the socket opened');

  const frames = scenarioFrames(loadScenario('S1-answered'));
  // S1: 101 rings at 0.5 s, answers at 2.5 s, the caller hangs up at 5.5 s.
  const [beforeAnswer, rest] = splitAt(frames, 2000);
  await peer.replay(beforeAnswer, { speed: 'max' });
  const ringing = await seen('101', 'ringing');
  t.equal(ringing.withNumber, '+79111234567', 'ringing for the caller');
  t.ok(ringing.callId, 'with the call');
  const waiting = await waitFor('the caller waiting on the board', async () => (await h.request('GET', '/api/board', boss.token)).body.waiting[0]);
  t.equal(waiting.callerNumber, '+79111234567', 'the caller waits until answered');

  const [talk, end] = splitAt(rest, 5000);
  await peer.replay(talk, { speed: 'max' });
  const onCall = await seen('101', 'on_call');
  t.equal(onCall.callId, ringing.callId, 'on the same call');
  t.same((await h.request('GET', '/api/board', boss.token)).body.waiting, [], 'an answered caller no longer waits');

  await peer.replay(end, { speed: 'max' });
  await seen('101', 'available');
  ws101.close();
  await seen('101', 'offline');
});

t.test('a queue pause shows the agent paused with its reason, and unpausing makes them available again', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const a102 = await h.login('agent102', 'agent102-password');
  const ws = await h.socket(a102);
  await ws.next((m) => m.type === 'snapshot');
  const agent102 = async () => (await h.request('GET', '/api/board', boss.token)).body.agents.find((a: any) => a.extension === '102');
  await waitFor('102 available', async () => (await agent102()).presence === 'available');
  const member = 'Queue: support\r\nMemberName: 102\r\nInterface: PJSIP/102\r\nStateInterface: PJSIP/102\r\nMembership: static\r\nPenalty: 0\r\nCallsTaken: 0\r\nLastCall: 0\r\nInCall: 0\r\nStatus: 1\r\n';
  peer.inject(`Event: QueueMemberPause\r\nPrivilege: agent,all\r\n${member}Paused: 1\r\nPausedReason: обед\r\n\r\n`);
  const paused = await waitFor('102 paused', async () => {
    const a = await agent102();
    return a.presence === 'paused' && a;
  });
  t.equal(paused.pausedReason, 'обед', 'with the reason the PBX gave');
  peer.inject(`Event: QueueMemberPause\r\nPrivilege: agent,all\r\n${member}Paused: 0\r\nPausedReason: \r\n\r\n`);
  await waitFor('102 available again', async () => (await agent102()).presence === 'available');
  peer.inject(`Event: QueueMemberPause\r\nPrivilege: agent,all\r\nQueue: support\r\nPaused: 1\r\n\r\n`);
  peer.inject(`Event: QueueMemberStatus\r\nPrivilege: agent,all\r\n${member}Paused: 1\r\nPausedReason: обучение\r\n\r\n`);
  await waitFor('a malformed event skipped, the next one read', async () => (await agent102()).pausedReason === 'обучение');
});

t.test("today's figures count the recorded calls as their ground truth says", async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  // Waits are what the figures measure: the answered calls at twice their speed (their waits
  // halved), the abandon at its own (8 s of ringing: no short abandon).
  await peer.replay(loadScenario('S1-answered'), { speed: 2 });
  await peer.replay(loadScenario('S3-missed'), { speed: 1 });
  await peer.replay(loadScenario('S4-queue'), { speed: 2 });
  await waitFor('three calls ended', async () => (await h.request('GET', '/api/calls?live=false', h.adminToken)).body.items.length === 3);
  await h.app.pipeline.drain();
  const boss = await h.agent('boss', null, 'supervisor');
  const figures = (await h.request('GET', '/api/board', boss.token)).body.today;
  t.equal(figures.calls, 3);
  t.equal(figures.answered, 2, 'S1 and S4 answered');
  t.equal(figures.missed, 1, 'S3 missed');
  t.equal(figures.abandoned, 1, 'the S3 caller gave up while phones rang');
  t.equal(figures.shortAbandoned, 0, 'after 8 s: not a short abandon');
  // The truth's waits: S1 from its start and answer times; S4 (the PBX's queue answers the caller
  // at once) from the queue log's CONNECT, whose hold time is the wait for agent 102.
  const s1 = loadScenario('S1-answered').truth as any;
  const s4 = loadScenario('S4-queue').truth as any;
  const s1Wait = (Date.parse(s1.calls[0].answered_wall) - Date.parse(s1.calls[0].start_wall)) / 1000;
  const s4Wait = Number(s4.queue_log.find((l: string) => l.includes('|CONNECT|')).split('|')[5]);
  const asa = (s1Wait + s4Wait) / 2;
  t.ok(figures.asaSeconds !== null && Math.abs(figures.asaSeconds * 2 - asa) < 1, `ASA ${figures.asaSeconds} s at double speed; the truth's times say ${asa} s`);
  t.equal(figures.callbacksDue, 1, 'the missed caller is due a call back');
  t.equal(figures.customersWaiting, 0, 'no customer waits for an answer');
  t.equal(figures.customersWaitingSince, null);
  // Two customers wrote (as their mails would say), the first at 09:00.
  const waiting = ['2026-12-07T09:00:00+03:00', '2026-12-07T10:30:00+03:00'];
  for (const at of waiting) {
    const r = await h.request('POST', '/api/tickets', h.adminToken, { subject: 'Вопрос', description: 'Клиент спрашивает по почте', register: true });
    await h.app.ds.query(`UPDATE ticket SET customer_wrote_at = $2 WHERE id = $1`, [r.body.id, at]);
  }
  const now = (await h.request('GET', '/api/board', boss.token)).body.today;
  t.equal(now.customersWaiting, 2, 'two customers wait for an answer');
  t.equal(now.customersWaitingSince, new Date(waiting[0]).toISOString(), 'the longest since 09:00');
  t.equal(figures.serviceLevel, 0.667, 'both answered within 20 s, and the abandon after 8 s counts against: 2 of 3');
});

t.test('the board is for supervisors: an agent gets 403 and a board.watch error, the connection kept', async (t) => {
  const { h } = await serviceWithPbx(t);
  const a = await h.login('agent101', 'agent101-password');
  t.equal((await h.request('GET', '/api/board', a)).status, 403);
  t.equal((await h.request('GET', '/api/board', null)).status, 401);
  const ws = await h.socket(a);
  await ws.next((m) => m.type === 'snapshot');
  ws.ws.send(JSON.stringify({ type: 'board.watch' }));
  const err = await ws.next((m) => m.type === 'error');
  t.equal(err.error, 'forbidden');
  ws.ws.send(JSON.stringify({ type: 'ping' }));
  await ws.next((m) => m.type === 'pong');
});

t.test('after a reconnect the PBX’s list of queue members (QueueStatus) says who is paused now', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const presence = async (ext: string) => (await h.request('GET', '/api/board', boss.token)).body.agents.find((a: any) => a.extension === ext);
  peer.inject('Event: QueueMemberPause\r\nQueue: support\r\nInterface: PJSIP/102\r\nPaused: 1\r\nPausedReason: перерыв\r\n\r\n');
  await waitFor('102 paused', async () => (await presence('102')).presence === 'paused');
  // While calldesk could not see the PBX, 102 came back and 103 went on a break.
  const member = (id: string, ext: string, paused: number, reason = '') =>
    `Event: QueueMember\r\nActionID: ${id}\r\nQueue: support\r\nName: ${ext}\r\nLocation: PJSIP/${ext}\r\nStateInterface: PJSIP/${ext}\r\nMembership: static\r\nPenalty: 0\r\nCallsTaken: 0\r\nLastCall: 0\r\nInCall: 0\r\nStatus: 1\r\nPaused: ${paused}\r\nPausedReason: ${reason}\r\n\r\n`;
  peer.respond('QueueStatus', (_f, id) => [
    `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Queue status will follow\r\n\r\n`,
    `Event: QueueParams\r\nActionID: ${id}\r\nQueue: support\r\n\r\n`,
    member(id, '101', 0),
    member(id, '102', 0),
    member(id, '103', 1, 'обучение'),
    `Event: QueueStatusComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 4\r\n\r\n`,
  ]);
  const logins = peer.logins;
  peer.drop();
  await peer.waitForLogin(logins + 1);
  const p103 = await waitFor('103 paused from the list', async () => {
    const a = await presence('103');
    return a.presence === 'paused' && a;
  });
  t.equal(p103.pausedReason, 'обучение');
  t.equal((await presence('102')).presence, 'offline', 'a pause that ended while away is gone (102 has no panel open)');
});
