// The service restarts while calls are in progress: the PBX keeps the calls going (and new ones
// start, some end) while no instance watches it. The new instance takes the live calls and drafts
// from the database plus the PBX's answer to CoreShowChannels/Status: no call lost or doubled, the
// same drafts (what agents typed survives), and agents' panels resume from the snapshot.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { gatesAt, observe, replayObserved, storedCalls } from './pbx-faults';
import { startService, waitFor, type Service } from './service';

async function liveDrafts(s: Service): Promise<Map<string, { callId: string; ticketId: string; startedAt: string }>> {
  const rows = await s.app.ds.query(
    `SELECT c.linkedid, c.id AS call_id, c.started_at, t.id AS ticket_id FROM call c JOIN ticket t ON t.origin_call_id = c.id WHERE c.ended_at IS NULL`,
  );
  return new Map(rows.map((r: any) => [r.linkedid, { callId: r.call_id, ticketId: r.ticket_id, startedAt: new Date(r.started_at).toISOString() }]));
}

t.test('a restart mid-calls: live calls and drafts come back, panels resume from the snapshot, nothing lost or doubled', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const a = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const admin = await a.login('admin', 'admin-password-1');
  for (const ext of ['101', '102', '103']) {
    t.equal((await a.request('POST', '/api/agents', admin, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false })).status, 201);
  }
  await a.request('POST', '/api/agents', admin, { login: 'boss', password: 'boss-password', role: 'supervisor', mustChangePassword: false });
  const agentToken = await a.login('agent101', 'agent101-password');
  const bossToken = await a.login('boss', 'boss-password');
  const beforeSocket = await a.socket(agentToken);
  await beforeSocket.next((m) => m.type === 'snapshot');

  const obs = observe(peer);
  await a.app.startIngest();
  await peer.waitForLogin();

  // Phase 1 reaches instance A; phase 2 happens while no instance runs; phase 3 reaches instance B.
  const { gates: [stop, resume], before } = gatesAt(0.45, 0.6);
  const replay = replayObserved(
    peer,
    {
      count: 40,
      intervalMs: 250,
      seed: 63,
      speed: 10,
      before,
    },
    obs,
  );

  await stop.reached;
  await waitFor('A to have written what it saw', async () => (await a.request('GET', '/api/health', null)).body.pbx[0].connected && a.app.pipeline.stats.pending === 0);
  await a.app.pipeline.drain();
  const liveBefore = await liveDrafts(a);
  t.ok(liveBefore.size >= 5, `${liveBefore.size} calls live at the restart, each with its draft`);
  // What an agent typed into a live call's draft before the restart.
  const [typedCall, typed] = [...liveBefore][0];
  const draft = await a.request('GET', `/api/tickets/${typed.ticketId}`, bossToken);
  const edit = await a.request('PATCH', `/api/tickets/${typed.ticketId}`, bossToken, { version: draft.body.version, description: 'printer says E-42' });
  t.equal(edit.status, 200, 'a draft was being typed');

  await a.close();
  const lost = await beforeSocket.closed;
  t.pass(`the panel saw its socket close (${lost.code})`);

  stop.open(); // the PBX carries on with nobody watching
  await resume.reached;

  const b = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const logins = peer.logins;
  await b.app.startIngest();
  await peer.waitForLogin(logins + 1, 10_000);
  await waitFor('B to reconcile', async () => (await b.request('GET', '/api/health', null)).body.pbx[0].connected);
  await b.app.pipeline.drain();

  const liveAfter = await liveDrafts(b);
  const peerLive = new Set(peer.liveChannels().map((c) => c.linkedid));
  t.same([...liveAfter.keys()].sort(), [...peerLive].sort(), 'the live calls are exactly those the PBX has');
  for (const [linkedid, before] of liveBefore) {
    const after = liveAfter.get(linkedid);
    if (!peerLive.has(linkedid)) continue; // ended while no instance watched: checked below
    t.same(after, before, `${linkedid}: the same call and the same draft, started when it started`);
  }
  const keptDraft = await b.request('GET', `/api/tickets/${typed.ticketId}`, bossToken);
  t.equal(keptDraft.status, 200, 'the old session still works on the new instance');
  t.equal(keptDraft.body.description, 'printer says E-42', `what was typed into ${typedCall}'s draft is there`);

  // Panels reconnect to the new instance and resume from the snapshot.
  const agentSocket = await b.socket(agentToken);
  const snap = await agentSocket.next((m) => m.type === 'snapshot');
  const mine = await b.app.ds.query(
    `SELECT c.id FROM call c JOIN agent a ON a.login = 'agent101' WHERE c.ended_at IS NULL AND c.agent_ids @> ARRAY[a.id]`,
  );
  t.ok(mine.length > 0, `agent101 is in ${mine.length} live calls`);
  t.same(snap.calls.map((c: any) => c.id).sort(), mine.map((r: any) => r.id).sort(), "the agent's snapshot has their live calls");
  t.ok(snap.drafts.every((d: any) => d.status === 'draft'), 'and open drafts');
  t.same(snap.pbx, [{ id: 'main', connected: true }], 'and the PBX status');
  const bossSocket = await b.socket(bossToken);
  const bossSnap = await bossSocket.next((m) => m.type === 'snapshot');
  t.same(bossSnap.calls.map((c: any) => c.linkedid).sort(), [...peerLive].sort(), "a supervisor's snapshot has every live call");
  t.ok(
    [...liveAfter.values()].every((l) => bossSnap.drafts.some((d: any) => d.id === l.ticketId)),
    "and every live call's draft",
  );

  resume.open();
  await replay;
  await waitFor('every call to end', async () => (await b.app.ds.query(`SELECT count(*)::int AS live FROM call WHERE ended_at IS NULL`))[0].live === 0, 20_000);
  const ended = await agentSocket.next((m) => m.type === 'call.ended');
  t.ok(ended.call.endedAt, 'pushes go on after the restart');

  const stored = await storedCalls(b.app.ds);
  const byId = new Map(stored.map((c) => [c.linkedid, c]));
  const shown = [...obs.calls.values()].filter((c) => c.shown).map((c) => c.linkedid);
  const expected = new Set([...shown, ...obs.liveAtReconnect]);
  t.same([...expected].filter((id) => !byId.has(id)), [], `every call the PBX showed is logged (${expected.size} of ${obs.all.length})`);
  t.same(stored.filter((c) => !obs.all.includes(c.linkedid)).map((c) => c.linkedid), [], 'no call that was never made');
  t.same(stored.filter((c) => c.drafts !== 1).map((c) => `${c.linkedid}: ${c.drafts}`), [], 'one draft per call, none doubled by the restart');
  const endedUnseen = [...liveBefore.keys()].filter((id) => !peerLive.has(id));
  t.ok(endedUnseen.length > 0, `${endedUnseen.length} calls ended while no instance ran`);
  for (const id of endedUnseen) {
    const row = byId.get(id)!;
    t.ok(row.gap && row.ended_at && ['answered', 'missed', 'unknown'].includes(String(row.outcome)), `${id}: closed (${row.outcome}), flagged gap`);
  }
  const startedUnseen = [...peerLive].filter((id) => !liveBefore.has(id));
  t.ok(startedUnseen.length > 0, `${startedUnseen.length} calls started while no instance ran`);
  for (const id of startedUnseen) t.ok(byId.get(id)?.gap && byId.get(id)?.drafts === 1, `${id}: opened with its draft, flagged gap`);
});
