// Every recorded scenario, replayed by a real TCP AMI peer into the real service: the stored
// calls, legs, outcomes, drafts and each agent's WebSocket messages match the recording's truth.
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp, type TestApp, type TestSocket } from '../helpers/app';
import { loadScenario, scenarioFrames, type Scenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const EXTENSIONS = ['101', '102', '103'];

interface Harness {
  h: TestApp;
  peer: AmiPeer;
  agents: Record<string, { id: string; token: string; ws: TestSocket }>;
  supervisor: TestSocket;
}

async function harness(t: any): Promise<Harness> {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const agents: Harness['agents'] = {};
  for (const ext of EXTENSIONS) {
    const a = await h.agent(`agent${ext}`, ext);
    const ws = await h.socket(a.token);
    await ws.next((m) => m.type === 'snapshot');
    agents[ext] = { ...a, ws };
  }
  const sup = await h.agent('boss', null, 'supervisor');
  const supervisor = await h.socket(sup.token);
  await supervisor.next((m) => m.type === 'snapshot');
  return { h, peer, agents, supervisor };
}

async function replayAll(x: Harness, scenario: Scenario, calls: number): Promise<any[]> {
  await x.h.app.startIngest();
  await x.peer.replay(scenario, { speed: 'max' });
  const ended = () => x.supervisor.messages.filter((m) => m.type === 'call.ended');
  await waitFor(`${calls} call.ended pushes`, () => ended().length >= calls, 15_000).catch(() => undefined); // the caller compares
  await x.h.app.pipeline.drain();
  return ended();
}

async function storedCall(x: Harness, linkedid: string) {
  const list = await x.h.request('GET', '/api/calls?limit=200', x.h.adminToken);
  const call = list.body.items.find((c: any) => c.linkedid === linkedid);
  if (!call) throw new Error(`call ${linkedid} not stored`);
  return call;
}

async function draftOf(x: Harness, call: any) {
  const res = await x.h.request('GET', `/api/tickets/${call.ticketIds[0]}`, x.h.adminToken);
  return res.body;
}

const typesFor = (ws: TestSocket, linkedid: string) => ws.messages.filter((m) => m.call?.linkedid === linkedid).map((m) => m.type);

t.test('S1: an answered call rings 101, who answers and owns the draft', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S1-answered');
  await replayAll(x, s, 1);
  const truth = s.truth!.calls[0];
  const call = await storedCall(x, truth.support_linkedid!);
  t.match(call, { direction: 'inbound', supportLine: true, callerNumber: '+79111234567', did: '+79219416004', outcome: 'answered', gap: false });
  t.equal(call.answeredBy.extension, '101');
  t.same(call.legs.map((l: any) => [l.extension, l.endReason]), [['101', 'answered']]);
  const draft = await draftOf(x, call);
  t.equal(draft.status, 'draft');
  t.same(draft.assignees, [x.agents['101'].id]);
  t.same(typesFor(x.agents['101'].ws, truth.support_linkedid!), ['call.ringing', 'call.answered', 'call.ended']);
  t.same(typesFor(x.agents['102'].ws, truth.support_linkedid!), [], 'an agent whose phone never rang hears nothing of the call');
});

t.test('S3: a missed ring-group call leaves an unassigned draft waiting for a call back', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S3-missed');
  await replayAll(x, s, 1);
  const linkedid = s.truth!.calls[0].support_linkedid!;
  const call = await storedCall(x, linkedid);
  t.match(call, { supportLine: true, callerNumber: '+79213334455', did: '+79219416004', outcome: 'missed', answeredBy: null });
  t.same(call.legs.map((l: any) => l.extension).sort(), ['101', '102', '103']);
  t.ok(call.legs.every((l: any) => l.endReason === 'caller_gone'), 'every phone stopped ringing because the caller hung up');
  const draft = await draftOf(x, call);
  t.match(draft, { status: 'draft', callbackNeeded: true, assignees: [] });
  for (const ext of EXTENSIONS) {
    const msgs = x.agents[ext].ws.messages.filter((m) => m.call?.linkedid === linkedid);
    t.equal(msgs.find((m) => m.type === 'call.ringing')?.ticket?.id, draft.id, `${ext} saw the draft pop up`);
    t.equal(msgs.find((m) => m.type === 'call.ring_stopped')?.reason, 'caller_gone', `${ext} was told the caller is gone`);
  }
});

t.test('S4: in a queue, the agent who answers owns the call though the PBX answered first', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S4-queue');
  await replayAll(x, s, 1);
  const linkedid = s.truth!.calls[0].support_linkedid!;
  const call = await storedCall(x, linkedid);
  t.match(call, { supportLine: true, callerNumber: '+79119876543', outcome: 'answered', queue: 'support' });
  t.equal(call.answeredBy.extension, '102');
  const leg101 = call.legs.find((l: any) => l.extension === '101');
  t.ok(leg101 && leg101.answeredAt === null && leg101.endReason !== 'answered', '101 ignored the call');
  t.same((await draftOf(x, call)).assignees, [x.agents['102'].id]);
  t.ok(typesFor(x.agents['101'].ws, linkedid).includes('call.ring_stopped'));
  t.ok(typesFor(x.agents['102'].ws, linkedid).includes('call.answered'));
});

t.test('S5: a blind transfer moves the call and its draft from 101 to 102, and the journal says so', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S5-transfer');
  await replayAll(x, s, 1);
  const linkedid = s.truth!.calls[0].support_linkedid!;
  const call = await storedCall(x, linkedid);
  t.match(call, { supportLine: true, callerNumber: '+79111234567', did: '+79219416004', outcome: 'answered' });
  t.equal(call.answeredBy.extension, '101', 'answeredBy is the first agent to answer');
  t.equal(call.owner.extension, '102');
  const draft = await draftOf(x, call);
  t.same(draft.assignees, [x.agents['102'].id], 'the draft follows the call');
  const assigned = draft.journal.filter((e: any) => e.kind === 'assigned');
  t.same(assigned.map((e: any) => e.data.reason), ['answered', 'transferred']);
  for (const ext of ['101', '102']) {
    const tr = x.agents[ext].ws.messages.find((m) => m.type === 'call.transferred' && m.call.linkedid === linkedid);
    t.ok(tr, `${ext} was told of the transfer`);
    t.match(tr, { from: { extension: '101' }, to: { extension: '102' } });
  }
});

t.test('S7: a call to another line of the PBX is logged but opens no draft', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S7-other-did');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { direction: 'inbound', supportLine: false, did: '+78120000000', outcome: 'answered', ticketIds: [] });
  t.equal(call.answeredBy.extension, '103');
});

t.test('S8: a withheld caller is a valid call with no number', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S8-anonymous');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { supportLine: true, callerNumber: null, outcome: 'answered' });
  t.equal(call.answeredBy.extension, '101');
  const ringing = x.agents['101'].ws.messages.find((m) => m.type === 'call.ringing');
  t.same(ringing.caller.calls, [], 'withheld callers have no history');
  t.equal((await draftOf(x, call)).callerNumber, null);
});

t.test('S11: an agent calling a customer back is outbound and opens no draft', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S11-outbound');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { direction: 'outbound', supportLine: false, calledNumber: '+79111234567', ticketIds: [] });
});

t.test('P1: the same call over PJSIP is understood the same way', async (t) => {
  const x = await harness(t);
  const s = loadScenario('P1-answered');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { supportLine: true, callerNumber: '+79111234567', did: '+79219416004', outcome: 'answered' });
  t.equal(call.answeredBy.extension, '101');
  t.ok(call.hangupCause);
});

t.test('S10: a burst of 50 calls: every call stored once with its draft and the right agent', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S10-burst');
  const truth = s.truth!.calls;
  await replayAll(x, s, truth.length);
  const list = await x.h.request('GET', '/api/calls?limit=200', x.h.adminToken);
  t.equal(list.body.items.length, truth.length, 'one stored call per call made');
  const byLinkedid = new Map(list.body.items.map((c: any) => [c.linkedid, c]));
  for (const c of truth) {
    const call: any = byLinkedid.get(c.support_linkedid!);
    if (!t.ok(call, `${c.id} stored`)) continue;
    const answeredBy = (c.answered_by as string | null) ?? null;
    t.equal(call.answeredBy?.extension ?? null, answeredBy, `${c.id} answered by ${answeredBy}`);
    t.equal(call.outcome, answeredBy ? 'answered' : 'missed');
    t.equal(call.ticketIds.length, 1, `${c.id} has exactly one draft`);
  }
  const drafts = await x.h.request('GET', '/api/tickets?status=draft&limit=200', x.h.adminToken);
  t.equal(drafts.body.items.length, truth.length, 'no draft twice');
});

t.test('S9: a call already in progress when the service connects is still logged, with its draft', async (t) => {
  const x = await harness(t);
  const s = loadScenario('S9-reconnect-primary');
  const frames = scenarioFrames(s);
  const cut = 6000; // the recording's second client connected 6 s into the call
  // The PBX handles the first part of the call while calldesk is not connected.
  await x.peer.replay(frames.filter((f) => f.t < cut), { waitForClient: false });
  const linkedid = loadScenario('S9-reconnect').truth!.calls[0].support_linkedid!;
  await x.h.app.startIngest();
  // The call goes on for seconds after the service connects: by then it has reconciled.
  const opened = await x.supervisor.next((m) => m.call?.linkedid === linkedid, 10_000);
  t.equal(opened.call.gap, true, 'the call is flagged: part of it happened unseen');
  await x.peer.replay(frames.filter((f) => f.t >= cut), { speed: 'max' });
  await waitFor('call.ended', () => x.supervisor.messages.some((m) => m.type === 'call.ended'));
  await x.h.app.pipeline.drain();
  const call = await storedCall(x, linkedid);
  t.match(call, { supportLine: true, callerNumber: '+79111234567', did: '+79219416004', outcome: 'answered' });
  t.equal(call.answeredBy?.extension, '101');
  t.ok(call.endedAt, 'its end was seen');
  t.equal(call.ticketIds.length, 1, 'it got its draft');
});

t.test('P17: a call taken by call pickup is answered by the picker, whose screen gets the call and its draft at once', async (t) => {
  const x = await harness(t);
  const s = loadScenario('P17-pickup');
  await replayAll(x, s, 1);
  const linkedid = s.truth!.calls[0].support_linkedid!;
  const call = await storedCall(x, linkedid);
  t.match(call, { supportLine: true, callerNumber: '+79115550117', outcome: 'answered' });
  t.equal(call.answeredBy.extension, '102', 'answered by the picker');
  t.same(
    call.legs.map((l: any) => [l.extension, l.endReason, l.via ?? null]),
    [
      ['101', 'taken', null],
      ['102', 'answered', 'pickup'],
    ],
  );
  const list = await x.h.request('GET', '/api/calls?limit=200', x.h.adminToken);
  t.same(list.body.items.map((c: any) => c.linkedid), [linkedid], "the picker's own call to *8 is not a call of its own");
  const draft = await draftOf(x, call);
  t.match(draft, { status: 'draft', callbackNeeded: false });
  t.same(draft.assignees, [x.agents['102'].id], 'the draft belongs to the picker');
  t.ok(draft.journal.some((e: any) => e.kind === 'assigned'), 'the change of owner is journaled');
  const callbacks = await x.h.request('GET', '/api/tickets?callbackNeeded=true', x.h.adminToken);
  t.notOk(callbacks.body.items.some((r: any) => r.id === draft.id), 'not in the call-back list');

  t.same(typesFor(x.agents['102'].ws, linkedid), ['call.answered', 'call.ended'], '102 never rang: it took the call');
  const answered = x.agents['102'].ws.messages.find((m) => m.type === 'call.answered' && m.call.linkedid === linkedid);
  t.match(answered, { extension: '102', first: true, ticket: { id: draft.id } }, "the picker's screen gets the call with its draft");
  t.same(typesFor(x.agents['101'].ws, linkedid), ['call.ringing', 'call.ring_stopped', 'call.ended']);
  const stopped = x.agents['101'].ws.messages.find((m) => m.type === 'call.ring_stopped' && m.call.linkedid === linkedid);
  t.equal(stopped.reason, 'taken', "101's pop is withdrawn as taken by a colleague");
});

t.test('R1: a call the PBX records is answered by 101 and lists its recording', async (t) => {
  const x = await harness(t);
  const s = loadScenario('R1-recorded');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { supportLine: true, callerNumber: '+79115550201', outcome: 'answered', answeredBy: { extension: '101' } });
  t.same(call.recordings.map((r: any) => [r.kind, r.file.split('/').pop()]), [['recording', 'support-20261126-115138-79115550201-1795693898.237.wav']]);
});

t.test('R2: a call voicemail took is missed by the agents, waits for a call back, and lists the voicemail', async (t) => {
  const x = await harness(t);
  const s = loadScenario('R2-voicemail');
  await replayAll(x, s, 1);
  const call = await storedCall(x, s.truth!.calls[0].support_linkedid!);
  t.match(call, { supportLine: true, callerNumber: '+79115550202', outcome: 'missed', answeredBy: null, owner: null });
  t.same(call.legs.map((l: any) => [l.extension, l.endReason]), [['101', 'no_answer'], ['102', 'no_answer']]);
  t.same(call.recordings.map((r: any) => [r.kind, r.mailbox]), [['voicemail', '100@support']]);
  t.match(await draftOf(x, call), { status: 'draft', callbackNeeded: true, assignees: [] });
});
