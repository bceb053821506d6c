import pino from 'pino';
import t from 'tap';
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../src/config/config';
import { DEMO_AGENTS, DEMO_ADMIN } from '../../src/demo/agents';
import { demoCallStream, demoTemplates } from '../../src/demo/calls';
import { startDemo } from '../../src/demo/demo';
import { tidyDrafts } from '../../src/demo/tidy';
import { parseFrame } from '../../src/simulator/scenarios';
import { freshDatabase } from '../helpers/db';
import { waitFor } from '../helpers/wait';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

function demoConfig(databaseUrl: string): Config {
  return { ...loadConfig({}), port: 0, host: '127.0.0.1', databaseUrl };
}

async function api(base: string, method: string, route: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + route, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

t.test('the demo starts on a fresh database, creates its agents, pops a call up on 101 within seconds and stops cleanly', async (t) => {
  const db = await freshDatabase(t);
  const demo = await startDemo({ config: demoConfig(db.url), logger });
  t.teardown(() => demo.stop());
  const base = `http://127.0.0.1:${demo.service.port}`;

  t.same(
    demo.agents.map((a) => [a.login, a.role, a.extension, a.created]),
    [
      ['101', 'agent', '101', true],
      ['102', 'agent', '102', true],
      ['103', 'agent', '103', true],
      ['supervisor', 'supervisor', null, true],
    ],
    'three phone agents on the recorded extensions and a supervisor, created',
  );
  const tokens: Record<string, string> = {};
  for (const a of [...DEMO_AGENTS, DEMO_ADMIN]) {
    const res = await api(base, 'POST', '/api/session', null, { login: a.login, password: a.password });
    t.equal(res.status, 200, `${a.login} logs in with the printed password`);
    tokens[a.login] = res.body.token;
  }
  const listed = await api(base, 'GET', '/api/agents', tokens.admin);
  t.same(listed.body.map((a: any) => a.login).sort(), ['101', '102', '103', 'admin', 'supervisor']);

  const health = await api(base, 'GET', '/api/health', null);
  t.same(health.body.pbx.map((p: any) => p.id), ['demo'], 'the demo PBX is the service’s PBX');

  const ws = new WebSocket(`ws://127.0.0.1:${demo.service.port}/ws?token=${encodeURIComponent(tokens['101'])}`);
  const ringing = new Promise<any>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no call.ringing for 101 within 15 s')), 15_000);
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'call.ringing') {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
  t.teardown(() => ws.close());
  const started = Date.now();
  const ring = await ringing;
  t.equal(ring.extension, '101');
  if (ring.call.supportLine) t.equal(ring.ticket.status, 'draft', 'a support-line call comes with its draft');
  t.ok(ring.call.callerNumber === null || /^\+79\d{9}$/.test(ring.call.callerNumber), 'a fresh Russian mobile (or withheld)');
  t.ok(Date.now() - started < 15_000, `rang after ${Date.now() - started} ms`);

  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const stopping = Date.now();
  await demo.stop();
  t.ok(Date.now() - stopping < 10_000, `stopped in ${Date.now() - stopping} ms`);
  await closed;
  t.notOk(demo.peer.listening, 'the demo PBX no longer listens');
  await t.rejects(fetch(`${base}/api/health`), 'the service no longer listens');
  await demo.stop(); // twice is harmless (a signal may come while a test stops it)
});

t.test('a second demo start on the same database keeps the agents it finds', async (t) => {
  const db = await freshDatabase(t);
  const first = await startDemo({ config: demoConfig(db.url), logger });
  await first.stop();
  const second = await startDemo({ config: demoConfig(db.url), logger });
  t.teardown(() => second.stop());
  t.same(second.agents.map((a) => a.created), [false, false, false, false]);
  const base = `http://127.0.0.1:${second.service.port}`;
  const res = await api(base, 'POST', '/api/session', null, { login: '102', password: 'demo-102' });
  t.equal(res.status, 200);
});

t.test('the demo supervisor discards drafts nobody wrote into once their call is over, and leaves written ones', async (t) => {
  const db = await freshDatabase(t);
  const demo = await startDemo({ config: demoConfig(db.url), logger, speed: 4, tidyAfterMs: null });
  t.teardown(() => demo.stop());
  const base = `http://127.0.0.1:${demo.service.port}`;
  const token = (await api(base, 'POST', '/api/session', null, { login: 'supervisor', password: 'demo-supervisor' })).body.token;

  // Two support calls over, each with its draft.
  let ended: any[] = [];
  await waitFor('two support calls to end', async () => {
    const calls = (await api(base, 'GET', '/api/calls?supportLine=true', token)).body.items;
    ended = calls.filter((c: any) => c.endedAt && c.ticketIds.length === 1);
    return ended.length >= 2;
  }, 20_000, 200).catch(() => undefined); // the assertion says how many
  t.ok(ended.length >= 2, 'two support calls ended');
  const [written, untouched] = ended.map((c: any) => c.ticketIds[0]);
  const before = (await api(base, 'GET', `/api/tickets/${written}`, token)).body;
  const edit = await api(base, 'PATCH', `/api/tickets/${written}`, token, { version: before.version, description: 'Не печатается отчёт' });
  t.equal(edit.status, 200);

  await tidyDrafts({ ds: demo.service.app.ds, tickets: demo.service.app.tickets, login: 'supervisor', afterMs: 0, logger });
  const gone = (await api(base, 'GET', `/api/tickets/${untouched}`, token)).body;
  t.equal(gone.status, 'discarded');
  t.equal(gone.discardReason, 'test');
  const kept = (await api(base, 'GET', `/api/tickets/${written}`, token)).body;
  t.equal(kept.status, 'draft', 'a draft with text stays');
  t.equal(kept.description, 'Не печатается отчёт');
});

t.test('every pass of the demo makes new calls: new linkedids, channels and callers, ringing 101, 102 and 103', async (t) => {
  const templates = demoTemplates();
  const passes: Array<{ linkedids: Set<string>; channels: Set<string>; callers: Set<string>; dialled: Set<string> }> = [];
  let lastT = -1;
  let ordered = true;
  // The same epoch for both passes: only the pass's own counters and seed keep them apart.
  for (const frame of demoCallStream({ templates, intervalMs: 6_000, jitterMs: 2_000, seed: 42, passes: 2, clock: () => 1_800_000_000, onPass: () => passes.push({ linkedids: new Set(), channels: new Set(), callers: new Set(), dialled: new Set() }) })) {
    if (frame.t! < lastT) ordered = false;
    lastT = frame.t!;
    const f = parseFrame(String('data' in frame ? frame.data : ''));
    const p = passes[passes.length - 1];
    if (f.Linkedid) p.linkedids.add(f.Linkedid);
    if (f.Channel) p.channels.add(f.Channel);
    if (f.Event === 'Newchannel' && f.Uniqueid === f.Linkedid && /^\+?\d{10,11}$/.test(f.CallerIDNum ?? '')) p.callers.add(f.CallerIDNum);
    if (f.Event === 'DialBegin' && f.DestCallerIDNum) p.dialled.add(f.DestCallerIDNum);
  }
  t.ok(ordered, 'frame times never go back, across passes too');
  t.equal(passes.length, 2);
  const [a, b] = passes;
  t.equal(a.linkedids.size, templates.length, 'one linkedid per recorded call');
  t.equal(b.linkedids.size, templates.length);
  const shared = (x: Set<string>, y: Set<string>) => [...x].filter((v) => y.has(v));
  t.same(shared(a.linkedids, b.linkedids), [], 'no linkedid repeats');
  t.same(shared(a.channels, b.channels), [], 'no channel name repeats');
  t.ok(a.callers.size >= templates.length - 2, 'each call has its own caller (the withheld one aside)');
  t.same(shared(a.callers, b.callers), [], 'no caller repeats');
  for (const ext of ['101', '102', '103']) t.ok(a.dialled.has(ext), `${ext} rings in every pass`);
});
