import t from 'tap';
import type { LiveChannel } from '../../../src/ami/live-channel';
import { loadScenario, scenarioFrames, splitCalls } from '../../helpers/scenarios';
import { harness } from './harness';

// The real answer a second client got 6.6 s into S9 (S9-reconnect.ami), as LiveChannel fields.
function realAnswer(): Array<Partial<LiveChannel>> {
  const s9 = loadScenario('S9-reconnect');
  const core = s9.messages.filter((m) => m.fields.Event === 'CoreShowChannel').map((m) => m.fields);
  const status = new Map(s9.messages.filter((m) => m.fields.Event === 'Status').map((m) => [m.fields.Channel, m.fields]));
  const orNull = (v: string | undefined): string | null => (v ? v : null);
  return core
    .map((c) => ({
      channel: c.Channel,
      uniqueid: c.Uniqueid,
      linkedid: c.Linkedid,
      state: c.ChannelStateDesc,
      callerIdNum: orNull(c.CallerIDNum),
      connectedLineNum: orNull(c.ConnectedLineNum),
      context: orNull(c.Context),
      exten: orNull(c.Exten),
      application: orNull(c.Application),
      applicationData: orNull(c.ApplicationData),
      bridgeId: orNull(c.BridgeId),
      dnid: orNull(status.get(c.Channel)?.DNID),
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel));
}

t.test('a peer that drops the connection mid-call is reconnected within a second and onConnected gets the live channels with DNID', async (t) => {
  const h = await harness(t);
  const primary = loadScenario('S9-reconnect-primary');
  const frames = scenarioFrames(primary);
  // S9's second client connected 6.62 s after the primary one: stop the PBX's story there.
  const cut = frames.findIndex((f) => f.t > 6620);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'first onConnected');
  await h.peer.replay(frames.slice(0, cut));
  await h.waitFor(() => h.events.length === cut, 'events before the drop');

  const droppedAt = Date.now();
  h.peer.drop();
  await h.waitFor(() => h.connected.length === 2, 'onConnected after the drop');
  const took = h.connected[1].at.getTime() - droppedAt;
  t.ok(took < 1000, `reconnected and reconciled ${took} ms after the drop`);
  t.equal(h.disconnected.length, 1, 'onDisconnected once');
  t.equal(h.peer.connections, 2);

  const live = [...h.connected[1].live].sort((a, b) => a.channel.localeCompare(b.channel));
  t.equal(live.length, realAnswer().length, 'as many live channels as the real PBX listed');
  t.match(live, realAnswer(), 'the same live channels, DNID included, as the real PBX answered at that moment');
  const trunk = live.find((c) => c.channel.startsWith('SIP/pstn'));
  t.equal(trunk?.dnid, '+79219416004', 'the trunk channel carries the DID as DNID');
  t.equal(trunk?.exten, 'dial', 'while its Exten has moved on');
  t.ok(live.every((c) => c.linkedid === trunk?.uniqueid), 'all channels share the call linkedid');

  // The call goes on after the reconnect: its hang-up arrives on the new connection.
  await h.peer.replay(frames.slice(cut));
  await h.waitFor(() => h.events.some((e) => e.raw.event === 'Hangup' && e.at.getTime() >= h.connected[1].at.getTime()), 'hang-up');
  t.equal(h.peer.liveChannels().length, 0, 'and the PBX has nothing live any more');
});

t.test('a peer that was down for a while is reconnected within about a second after it is back', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'first onConnected');

  await h.peer.close();
  await h.waitFor(() => h.disconnected.length === 1, 'onDisconnected');
  t.equal(h.conn.status().connected, false, 'status says disconnected');
  // Retried until the back-off reached its cap (100, 200, 400, 800, then 1000 ms between tries).
  await h.waitFor(() => h.failures() >= 6, 'six failed tries', 10_000);
  t.equal(h.peer.connections, 1, 'no connection while the PBX was down');

  const backAt = Date.now();
  await h.peer.listen();
  await h.waitFor(() => h.connected.length === 2, 'onConnected after the outage');
  const took = h.connected[1].at.getTime() - backAt;
  t.ok(took <= 1500, `reconnected ${took} ms after the PBX came back`);
  t.equal(h.conn.status().connected, true);
  t.equal(h.conn.status().connects, 2);
});

t.test('a call live across an outage is in onConnected, and a call that ended during it is not', async (t) => {
  const h = await harness(t);
  const { calls } = splitCalls(loadScenario('S10-burst').messages);
  const [a, b] = calls;
  const upTo = (msgs: typeof a.messages, pred: (f: Record<string, string>) => boolean): typeof a.messages =>
    msgs.slice(0, msgs.findIndex((m) => pred(m.fields)) + 1);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'first onConnected');
  // Both calls ring; then the PBX goes away; during the outage call A ends and B gets answered.
  const ringing = (f: Record<string, string>): boolean => f.Event === 'DialBegin';
  await h.peer.replay([...upTo(a.messages, ringing), ...upTo(b.messages, ringing)].map((m) => ({ fields: m.fields })));
  await h.peer.close();
  await h.peer.replay(a.messages.slice(upTo(a.messages, ringing).length).map((m) => ({ fields: m.fields })), { waitForClient: false });
  await h.peer.replay(upTo(b.messages, (f) => f.Event === 'BridgeEnter').slice(upTo(b.messages, ringing).length).map((m) => ({ fields: m.fields })), {
    waitForClient: false,
  });
  await h.peer.listen();
  await h.waitFor(() => h.connected.length === 2, 'onConnected after the outage');
  const live = h.connected[1].live;
  t.ok(live.length > 0, 'channels of B are live');
  t.ok(live.every((c) => c.linkedid === b.linkedid), 'only call B is live');
  t.ok(live.some((c) => c.state === 'Up'), 'B is answered');
});

t.test('a replay that holds while the client is away delivers every frame across a drop', async (t) => {
  const h = await harness(t);
  const s1 = loadScenario('S1-answered');
  const frames = scenarioFrames(s1);
  await h.peer.waitForLogin();
  const half = Math.floor(frames.length / 2);
  await h.peer.replay(frames.slice(0, half));
  await h.waitFor(() => h.events.length === half, 'first half');
  h.peer.drop();
  const result = await h.peer.replay(frames.slice(half), { holdWhileDisconnected: true });
  t.equal(result.delivered, frames.length - half, 'the rest waited for the client to come back');
  await h.waitFor(() => h.events.length === frames.length, 'every frame');
  t.same(h.events.map((e) => e.raw.event), s1.messages.map((m) => m.fields.Event), 'all of S1, in order');
  t.equal(h.peer.connections, 2);
});
