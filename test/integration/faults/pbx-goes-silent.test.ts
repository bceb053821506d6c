// The PBX stops answering five times (the socket stays open, nothing comes, Ping is not answered)
// while overlapping calls come and go. The service finds the silence by Ping within a few seconds,
// drops the connection, reconnects within about a second of the PBX answering again and
// reconciles: every call the PBX showed is logged once, with one draft when its dialled number was seen.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { callsBegun, observe, replayObserved, storedCalls } from './pbx-faults';
import { startService, waitFor } from './service';

t.test('five silent PBX spells during overlapping calls: found by Ping within seconds, every call shown logged once', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const obs = observe(peer);
  await s.app.startIngest();
  await peer.waitForLogin();

  const replay = replayObserved(peer, { count: 80, intervalMs: 400, seed: 62 }, obs);
  const detectMs: number[] = [];
  const reconnectMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    // A spell every few calls: five more begin between one answer and the next silence.
    await callsBegun(obs, obs.calls.size + 5);
    const logins = peer.logins;
    const silentAt = Date.now();
    peer.silent(true);
    // The service notices: no Pong and no data, so it closes its end.
    await new Promise<void>((resolve) => peer.once('disconnect', () => resolve()));
    detectMs.push(Date.now() - silentAt);
    const health = await s.request('GET', '/api/health', null);
    t.equal(health.body.status, 'degraded', `spell ${i + 1}: health says degraded`);
    const back = Date.now();
    peer.silent(false);
    await peer.waitForLogin(logins + 1, 5000);
    reconnectMs.push(Date.now() - back);
  }
  await replay;

  // Ping every 2 s, 3 s to answer: a silent PBX is found within 5 s (plus scheduling slack).
  for (const [i, ms] of detectMs.entries()) t.ok(ms <= 6000, `spell ${i + 1}: silence found in ${ms} ms`);
  for (const [i, ms] of reconnectMs.entries()) t.ok(ms <= 1500, `spell ${i + 1}: logged in again ${ms} ms after the PBX answered`);

  await waitFor('every stored call to end', async () => (await s.app.ds.query(`SELECT count(*)::int AS live FROM call WHERE ended_at IS NULL`))[0].live === 0, 20_000);
  const stored = await storedCalls(s.app.ds);
  const byId = new Map(stored.map((c) => [c.linkedid, c]));
  const shown = [...obs.calls.values()].filter((c) => c.shown).map((c) => c.linkedid);
  const expected = new Set([...shown, ...obs.liveAtReconnect]);
  t.same([...expected].filter((id) => !byId.has(id)), [], `every call the PBX showed is logged (${expected.size} of ${obs.all.length})`);
  t.same(stored.filter((c) => !obs.all.includes(c.linkedid)).map((c) => c.linkedid), [], 'no call that was never made');
  // The number a call dialled reaches the service with its first channel's Newchannel or in the
  // Status answer after a reconnect. A call begun in a silence whose first channel hung up before
  // that answer (seen only by its last events) never says it: it is logged, flagged, off the line.
  const numberSeen = (id: string) => obs.calls.get(id)?.startSeen === true || obs.firstListed.has(id);
  const why = (c: (typeof stored)[number]) => `${c.linkedid}: ${c.drafts} draft(s), support line ${c.support_line}, gap ${c.gap}, ${c.outcome}, listed ${obs.liveAtReconnect.has(c.linkedid)}`;
  t.same(stored.filter((c) => numberSeen(c.linkedid) && c.drafts !== 1).map(why), [], 'each call whose dialled number the service saw has exactly one draft');
  t.same(stored.filter((c) => !numberSeen(c.linkedid) && (c.drafts !== 0 || c.support_line || !c.gap)).map(why), [], 'a call whose number never reached the service is logged with a gap, without a draft');
  const gapped = [...obs.calls.values()].filter((c) => (!c.startSeen || !c.endSeen) && byId.has(c.linkedid));
  t.ok(gapped.length > 0, `${gapped.length} calls started or ended during a silence`);
  for (const c of gapped) t.ok(byId.get(c.linkedid)!.gap, `${c.linkedid}: flagged gap`);
  const metrics = await s.request('GET', '/metrics', null);
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="main"\} 6\b/, 'metrics count five reconnects');
});
