// The live board with two PBXs (two real AMI peers): each PBX has its own section — connected or
// not, its live calls, its waiting callers, today's figures — the waiting callers and the agents'
// calls say which PBX they are on, and a PBX going away (and coming back) is pushed to the
// supervisor watching, while the other PBX's calls carry on.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { buildTestApp } from '../../helpers/app';
import { loadScenario, scenarioFrames } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

t.test('two PBXs: the board shows each one, which calls are on which, and which one is down', async (t) => {
  const main = await AmiPeer.start({ secret: 'test-secret' });
  const second = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => main.close());
  t.teardown(() => second.close());
  // testConfig names them `main` and `pbx2`.
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: main.port }, { host: '127.0.0.1', port: second.port }] });
  for (const ext of ['101', '102', '103']) await h.agent(`agent${ext}`, ext);
  const boss = await h.agent('boss', null, 'supervisor');
  await h.app.startIngest();
  await Promise.all([main.waitForLogin(), second.waitForLogin()]);
  const board = async () => (await h.request('GET', '/api/board', boss.token)).body;

  const first = await waitFor('both PBXs connected on the board', async () => {
    const b = await board();
    return b.pbx.every((p: any) => p.connected) && b;
  });
  t.same(first.pbx.map((p: any) => [p.id, p.liveCalls, p.waiting, p.today.calls]), [['main', 0, 0, 0], ['pbx2', 0, 0, 0]], 'each configured PBX, in order, idle');

  // S1 on pbx2: 101 rings at 0.5 s, answers at 2.5 s, the caller hangs up at 5.5 s.
  const frames = scenarioFrames(loadScenario('S1-answered'));
  await second.replay(frames.filter((f) => f.t < 2000), { speed: 'max' });
  const ringing = await waitFor('the caller waiting on pbx2', async () => {
    const b = await board();
    return b.waiting.length === 1 && b;
  });
  t.equal(ringing.waiting[0].pbx, 'pbx2', 'the waiting caller is on pbx2');
  t.same(ringing.pbx.map((p: any) => [p.id, p.liveCalls, p.waiting]), [['main', 0, 0], ['pbx2', 1, 1]], 'pbx2 has the live call and the waiting caller; main has none');
  const a101 = ringing.agents.find((a: any) => a.extension === '101');
  t.same([a101.presence, a101.callPbx], ['ringing', 'pbx2'], 'the agent rings for a call on pbx2');

  // A supervisor watching: main goes away, mid-call on pbx2.
  const ws = await h.socket(boss.token);
  await ws.next((m) => m.type === 'snapshot');
  ws.ws.send(JSON.stringify({ type: 'board.watch' }));
  await ws.next((m) => m.type === 'board.updated');
  await main.close();
  const down = await ws.next((m) => m.type === 'board.updated' && m.board.pbx.find((p: any) => p.id === 'main')?.connected === false, 10_000);
  t.same(down.board.pbx.map((p: any) => [p.id, p.connected]), [['main', false], ['pbx2', true]], 'pushed: main is down, pbx2 is connected');
  t.same((await board()).pbx.map((p: any) => [p.id, p.connected]), [['main', false], ['pbx2', true]], 'and the board API says the same');

  await second.replay(frames.filter((f) => f.t >= 2000), { speed: 'max' });
  // Answered (2.5 s) and hung up (5.5 s) come in the same replay: wait for both to be on the board.
  const after = await waitFor('the call counted for pbx2 and ended', async () => {
    const b = await board();
    return b.today.answered === 1 && b.pbx.every((p: any) => p.liveCalls === 0) && b;
  });
  const today = Object.fromEntries(after.pbx.map((p: any) => [p.id, [p.today.calls, p.today.answered, p.liveCalls]]));
  t.same(today, { main: [0, 0, 0], pbx2: [1, 1, 0] }, "today's call is pbx2's, none on main, nothing live");
  t.equal(after.today.calls, 1, 'the whole-board figures still count every PBX');
  t.same(after.pbx.map((p: any) => p.connected), [false, true], 'main still down meanwhile');

  const logins = main.logins;
  await main.listen();
  await main.waitForLogin(logins + 1, 10_000);
  await ws.next((m) => m.type === 'board.updated' && m.board.pbx.every((p: any) => p.connected), 10_000);
  t.pass('main back: pushed as connected');
});
