// The blocked numbers' API as a supervisor, an admin, an agent and a stranger use it: a number in
// any form is stored in E.164, bad input is a 400 naming the field, a number blocked twice a 409,
// expired entries are listed only on request, an unblock removes the entry.
import t from 'tap';
import { buildTestApp } from '../helpers/app';

t.test('a supervisor blocks a number typed any way, sees it listed, cannot block it twice, unblocks it', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const boss = await h.agent('boss', '199', 'supervisor');
  const made = await h.request('POST', '/api/blocked-numbers', boss.token, { number: '8 (911) 123-45-67', reason: 'реклама' });
  t.equal(made.status, 201);
  t.match(made.body, { number: '+79111234567', reason: 'реклама', until: null, active: true, createdBy: { id: boss.id, login: 'boss' } });

  const list = await h.request('GET', '/api/blocked-numbers', boss.token);
  t.same(list.body.items.map((b: any) => b.id), [made.body.id]);

  const again = await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79111234567', reason: 'ещё раз' });
  t.equal(again.status, 409);
  t.match(again.body, { error: 'already_blocked', field: 'number', id: made.body.id });

  const gone = await h.request('DELETE', `/api/blocked-numbers/${made.body.id}`, boss.token);
  t.equal(gone.status, 204);
  t.same((await h.request('GET', '/api/blocked-numbers?all=true', boss.token)).body.items, [], 'the entry is gone');
  const twice = await h.request('DELETE', `/api/blocked-numbers/${made.body.id}`, boss.token);
  t.equal(twice.status, 404);
  const blockedAgain = await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79111234567', reason: 'снова' });
  t.equal(blockedAgain.status, 201, 'once unblocked, the number may be blocked again');
});

t.test('a block with an end: listed while it lasts, then only with all=true, and the number may be blocked anew', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const until = new Date(Date.now() + 3_600_000).toISOString();
  const made = await h.request('POST', '/api/blocked-numbers', h.adminToken, { number: '+79213334455', reason: 'до выяснения', until });
  t.equal(made.status, 201, 'admins block numbers too');
  t.equal(made.body.until, until);
  // An hour passes: the entry has ended (moved back in the database rather than waiting for the clock).
  await h.app.ds.query(`UPDATE blocked_numbers SET until = now() - interval '1 minute', created_at = now() - interval '2 hours'`);
  t.same((await h.request('GET', '/api/blocked-numbers', h.adminToken)).body.items, [], 'not listed once ended');
  const all = await h.request('GET', '/api/blocked-numbers?all=true', h.adminToken);
  t.match(all.body.items, [{ id: made.body.id, active: false }], 'listed with the expired ones');
  const anew = await h.request('POST', '/api/blocked-numbers', h.adminToken, { number: '+79213334455', reason: 'опять' });
  t.equal(anew.status, 201, 'an ended block does not stand in the way of a new one');
  const both = await h.request('GET', '/api/blocked-numbers?all=true', h.adminToken);
  t.same(both.body.items.map((b: any) => [b.id, b.active]), [[anew.body.id, true], [made.body.id, false]], 'newest first');
});

t.test('bad input is a 400 naming the field', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const cases: [unknown, string][] = [
    [{ reason: 'x' }, 'number'],
    [{ number: 'not a number', reason: 'x' }, 'number'],
    [{ number: '101', reason: 'x' }, 'number'],
    [{ number: '+79111234567' }, 'reason'],
    [{ number: '+79111234567', reason: '' }, 'reason'],
    [{ number: '+79111234567', reason: '   ' }, 'reason'],
    [{ number: '+79111234567', reason: 'x', until: 'tomorrow' }, 'until'],
    [{ number: '+79111234567', reason: 'x', until: '2020-01-01T00:00:00Z' }, 'until'],
    [{ number: '+79111234567', reason: 'x', colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of cases) {
    const r = await h.request('POST', '/api/blocked-numbers', h.adminToken, body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.equal(r.body.field, field, `names ${field}`);
    t.match(r.body.message, field, 'and says it');
  }
  const q = await h.request('GET', '/api/blocked-numbers?all=maybe', h.adminToken);
  t.equal(q.status, 400);
  t.equal(q.body.field, 'all');
  const id = await h.request('DELETE', '/api/blocked-numbers/not-an-id', h.adminToken);
  t.equal(id.status, 400);
  t.same((await h.request('GET', '/api/blocked-numbers?all=true', h.adminToken)).body.items, [], 'nothing stored');
});

t.test('agents may not see or change blocked numbers; without a session nobody may', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const agent = await h.agent('ivanov', '101');
  const made = await h.request('POST', '/api/blocked-numbers', h.adminToken, { number: '+79111234567', reason: 'x' });
  for (const [method, path, body] of [
    ['GET', '/api/blocked-numbers', undefined],
    ['POST', '/api/blocked-numbers', { number: '+79213334455', reason: 'x' }],
    ['DELETE', `/api/blocked-numbers/${made.body.id}`, undefined],
  ] as const) {
    t.equal((await h.request(method, path, agent.token, body)).status, 403, `${method} ${path} as an agent`);
    t.equal((await h.request(method, path, null, body)).status, 401, `${method} ${path} without a session`);
  }
  t.equal((await h.request('GET', '/api/blocked-numbers', h.adminToken)).body.items.length, 1, 'still blocked');
});
