// Calls from a blocked number, played by the real AMI peer into the running service: logged and
// flagged, but no draft, no screen pop and no push to anyone; a number blocked through another
// instance is blocked where the PBX is ingested; a call already under way is left as it began.
import t from 'tap';
import { secondInstance } from '../helpers/app';
import { startDesk } from '../helpers/desk';
import { loadScenario, scenarioFrames, withNumber } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const BLOCKED = '+79111234567'; // the caller of the S1 recording
const OTHER = '+79213334455';

/** The S1 recording as another call (its own channel ids), from `number`. */
const anotherS1 = (number: string, epoch: string) =>
  withNumber('S1-answered', BLOCKED, number).map((f) => ({ t: f.t, data: String(f.data).split('1795690305.').join(`${epoch}.`) }));

const callsFrom = async (ds: { query(sql: string, p: unknown[]): Promise<any[]> }, number: string) =>
  ds.query(`SELECT id, blocked, ended_at, (SELECT count(*)::int FROM ticket WHERE origin_call_id = call.id) AS drafts FROM call WHERE caller_number = $1`, [number]);

t.test('a blocked caller’s call is stored flagged blocked, opens no draft and pops up nowhere; an unblocked caller’s does', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101'], ['boss', '199', 'supervisor']]);
  const agent = await h.socket(agents.ivanov.token);
  const boss = await h.socket(agents.boss.token);
  await agent.next((m) => m.type === 'snapshot');
  await boss.next((m) => m.type === 'snapshot');
  const block = await h.request('POST', '/api/blocked-numbers', agents.boss.token, { number: '89111234567', reason: 'реклама' });
  t.equal(block.status, 201);

  await peer.replay(loadScenario('S1-answered'));
  const [blocked] = await waitFor('the blocked call stored, ended', async () => (await callsFrom(h.app.ds, BLOCKED)).filter((c: any) => c.ended_at).length === 1 && callsFrom(h.app.ds, BLOCKED));
  t.equal(blocked.blocked, true, 'logged, flagged blocked');
  t.equal(blocked.drafts, 0, 'no draft');

  // The same recording from a number nobody blocked: its pop is what a blocked call would have had.
  await peer.replay(anotherS1(OTHER, '1795690400'));
  const ringing = await agent.next((m) => m.type === 'call.ringing', 10_000);
  t.equal(ringing.call.callerNumber, OTHER);
  t.equal(ringing.call.blocked, false);
  await agent.next((m) => m.type === 'call.ended', 10_000);
  await boss.next((m) => m.type === 'call.ended', 10_000);
  const [other] = await callsFrom(h.app.ds, OTHER);
  t.equal(other.drafts, 1, 'the unblocked call has its draft');
  const about = (ws: { messages: any[] }) => ws.messages.filter((m) => m.call?.id === blocked.id || m.call?.callerNumber === BLOCKED);
  t.same(about(agent), [], 'nothing of the blocked call reached the agent it rang');
  t.same(about(boss), [], 'nor the supervisor');
  t.same(ringing.caller.calls.map((c: any) => c.id), [], 'a different caller: none of the blocked one’s calls in the history');

  // The call log shows it, marked, and filters by it; the export says so.
  const api = await h.request('GET', `/api/calls/${blocked.id}`, agents.boss.token);
  t.equal(api.body.blocked, true);
  const onlyBlocked = await h.request('GET', '/api/calls?blocked=true', agents.boss.token);
  t.same(onlyBlocked.body.items.map((c: any) => c.id), [blocked.id]);
  const notBlocked = await h.request('GET', '/api/calls?blocked=false', agents.boss.token);
  t.same(notBlocked.body.items.map((c: any) => c.id), [other.id]);
  const csv = await fetch(`${h.url}/api/calls/export.csv?blocked=true`, { headers: { authorization: `Bearer ${agents.boss.token}` } });
  const lines = (await csv.text()).split('\r\n').filter(Boolean);
  t.match(lines[0], /Номер заблокирован/);
  t.equal(lines.length, 2, 'the header and the blocked call');
  t.match(lines[1], /;да;0$/, 'flagged, with no request');
});

t.test('a live call from a blocked number is in no one’s snapshot: a panel opened meanwhile does not show it', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101'], ['boss', '199', 'supervisor']]);
  t.equal((await h.request('POST', '/api/blocked-numbers', agents.boss.token, { number: BLOCKED, reason: 'реклама' })).status, 201);
  const frames = scenarioFrames(loadScenario('S1-answered'));
  const dial = frames.findIndex((f) => String(f.data).includes('Event: DialBegin'));
  const later = frames.findIndex((f, i) => i > dial && f.t > frames[dial].t + 1000);
  await peer.replay(frames.slice(0, later), { speed: 'max' });
  await waitFor('the live call stored with its ringing leg', async () => {
    const rows = await h.app.ds.query(`SELECT legs FROM call WHERE ended_at IS NULL`);
    return rows.length === 1 && rows[0].legs.length > 0;
  });
  for (const who of ['ivanov', 'boss'] as const) {
    const ws = await h.socket(agents[who].token);
    const snap = await ws.next((m) => m.type === 'snapshot');
    t.same(snap.calls, [], `${who}: no live call shown`);
    t.same(snap.drafts, [], `${who}: no draft`);
  }
  await peer.replay(frames.slice(later), { speed: 'max' });
  await waitFor('the call ended', async () => (await callsFrom(h.app.ds, BLOCKED)).every((c: any) => c.ended_at));
});

t.test('a call under way when its number is blocked goes on as it began: its draft and pop stay', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const agent = await h.socket(agents.ivanov.token);
  await agent.next((m) => m.type === 'snapshot');
  const frames = scenarioFrames(loadScenario('S1-answered'));
  const dial = frames.findIndex((f) => String(f.data).includes('Event: DialBegin'));
  await peer.replay(frames.slice(0, dial), { speed: 'max' });
  await waitFor('the call stored', async () => (await callsFrom(h.app.ds, BLOCKED)).length === 1);

  t.equal((await h.request('POST', '/api/blocked-numbers', h.adminToken, { number: BLOCKED, reason: 'реклама' })).status, 201);
  await peer.replay(frames.slice(dial), { speed: 'max' });
  const ringing = await agent.next((m) => m.type === 'call.ringing', 10_000);
  t.equal(ringing.call.blocked, false, 'the pop still comes');
  t.equal(ringing.ticket?.status, 'draft', 'with its draft');
  await agent.next((m) => m.type === 'call.ended', 10_000);
  const [call] = await callsFrom(h.app.ds, BLOCKED);
  t.same([call.blocked, call.drafts], [false, 1]);
});

t.test('a number blocked through another instance is blocked by the one ingesting the PBX, and unblocked likewise', async (t) => {
  const { app: a, peer, agents } = await startDesk(t, [['ivanov', '101'], ['boss', '199', 'supervisor']]);
  // Instance B: the same database, no PBX of its own; the supervisor's browser landed there.
  const { url: bUrl } = await secondInstance(t, a);
  const viaB = (method: string, path: string, body?: unknown) =>
    fetch(`${bUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${agents.boss.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const agent = await a.socket(agents.ivanov.token);
  await agent.next((m) => m.type === 'snapshot');

  const sent = Date.now();
  const made = await (await viaB('POST', '/api/blocked-numbers', { number: BLOCKED, reason: 'реклама' })).json();
  await waitFor('A to know of the block', () => a.app.blockedNumbers.isBlocked(BLOCKED, new Date()), 2000, 10);
  t.ok(Date.now() - sent < 2000, `A knew within ${Date.now() - sent} ms`);
  await peer.replay(loadScenario('S1-answered'));
  const [blocked] = await waitFor('the call stored, ended', async () => (await callsFrom(a.app.ds, BLOCKED)).filter((c: any) => c.ended_at).length === 1 && callsFrom(a.app.ds, BLOCKED));
  t.same([blocked.blocked, blocked.drafts], [true, 0], 'blocked on the ingesting instance');

  t.equal((await viaB('DELETE', `/api/blocked-numbers/${made.id}`)).status, 204);
  await waitFor('A to know of the unblock', () => !a.app.blockedNumbers.isBlocked(BLOCKED, new Date()), 2000, 10);
  await peer.replay(anotherS1(BLOCKED, '1795690400'));
  const ringing = await agent.next((m) => m.type === 'call.ringing', 10_000);
  t.equal(ringing.call.blocked, false, 'the next call pops up again');
  t.same(agent.messages.filter((m) => m.call?.id === blocked.id), [], 'the blocked one never did');
});
