// A support call that began while the PBX was away is first seen, right after the reconnect, by an
// event of its agent's leg — before the PBX has answered CoreShowChannels. It must still be logged
// as the inbound support-line call it is, with its draft, owned by the agent who answered — also
// when the answer comes right behind that first event.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { loadScenario, scenarioFrames } from '../../helpers/scenarios';
import { startService, waitFor } from './service';

/**
 * The service follows a PBX that goes away while S1's call arrives and rings 101; when it is back,
 * `frames 38–49` (101 answers) come first — `onLogin` or `withAnswer` — and then the rest.
 */
async function callBegunInGap(t: { teardown(fn: () => unknown): void }, firstSeen: 'onLogin' | 'withAnswer') {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const admin = await s.login('admin', 'admin-password-1');
  const agent = await s.request('POST', '/api/agents', admin, { login: 'agent101', password: 'agent101-password', extension: '101', mustChangePassword: false });
  await s.app.startIngest();
  await peer.waitForLogin();
  await waitFor('the first reconcile', async () => (await s.request('GET', '/api/health', null)).body.pbx[0].connected);

  const frames = scenarioFrames(loadScenario('S1-answered'));
  const at = (i: number) => frames[i].data.toString('latin1');
  const answer = () => {
    for (let i = 38; i <= 49; i++) peer.send(at(i));
  };
  await peer.close(); // the PBX goes away…
  for (let i = 0; i <= 37; i++) peer.send(at(i)); // …while the call arrives and rings 101 (nobody sees it)
  if (firstSeen === 'onLogin') {
    // Back: the PBX streams the agent's answer before it gets round to the live-channel list.
    peer.actionDelays.set('coreshowchannels', 300);
    peer.actionDelays.set('status', 300);
    peer.once('login', answer);
  } else {
    // Written just before the PBX's answer to the service's question, in the same breath.
    peer.on('action', (name: string) => name === 'coreshowchannels' && answer());
  }
  await peer.listen();
  await peer.waitForLogin(2);
  await waitFor('the reconcile', () => s.app.pbx[0].status().connected);
  await s.app.pipeline.drain();
  for (let i = 50; i < frames.length; i++) peer.send(at(i));

  const call = await waitFor('the call to end', async () => {
    const list = await s.request('GET', '/api/calls', admin);
    return list.body.items[0]?.endedAt && list.body.items[0];
  });
  return { s, admin, agent: agent.body, call };
}

t.test('a call begun in a gap and first seen by its agent leg still opens as a support call with its draft', async (t) => {
  const { s, admin, agent, call } = await callBegunInGap(t, 'onLogin');
  t.equal(call.direction, 'inbound', 'inbound');
  t.equal(call.supportLine, true, 'on the support line');
  t.equal(call.did, '+79219416004', 'to the support number (the DNID of the live-channel answer)');
  t.equal(call.callerNumber, '+79111234567', 'from the customer');
  t.equal(call.gap, true, 'flagged gap');
  t.equal(call.answeredBy?.id, agent.id, 'answered by 101');
  t.equal(call.ticketIds.length, 1, 'with its draft');
  const draft = await s.request('GET', `/api/tickets/${call.ticketIds[0]}`, admin);
  t.same(draft.body.assignees, [agent.id], 'owned by the agent who answered');
});

t.test('a call first seen part-way just before the live-channel answer still gets its draft', async (t) => {
  // The first event and the live-channel answer arrive together: the call is opened as an unknown
  // one (no DID yet) and written without a draft, and learns it is a support call from the answer
  // while that first write is still on its way. The draft must not be taken as on its way too.
  const { call } = await callBegunInGap(t, 'withAnswer');
  t.equal(call.supportLine, true, 'on the support line');
  t.equal(call.ticketIds.length, 1, 'with its draft');
});
