// What staff do to accounts, blocked numbers and personal data is kept (who, when, what, to whom)
// and read by admins only; the trail never holds a password or the data an erasure removed.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';

t.test('admin actions on users, blocked numbers and erasures are in the audit trail, newest first, for admins only', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const boss = await h.agent('boss', null, 'supervisor');
  const made = await h.request('POST', '/api/agents', h.adminToken, { login: 'newbie', password: 'first-password-1', role: 'agent' });
  t.equal(made.status, 201);
  const id = made.body.id;
  t.equal((await h.request('PATCH', `/api/agents/${id}`, h.adminToken, { role: 'supervisor' })).status, 200);
  t.equal((await h.request('PATCH', `/api/agents/${id}`, h.adminToken, { password: 'secret-reset-pass-7' })).status, 200);
  t.equal((await h.request('PATCH', `/api/agents/${id}`, h.adminToken, { active: false })).status, 200);
  const blocked = await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550101', reason: 'spam' });
  t.equal(blocked.status, 201);
  t.equal((await h.request('DELETE', `/api/blocked-numbers/${blocked.body.id}`, boss.token)).status, 204);
  const contact = await h.request('POST', '/api/contacts', h.adminToken, { name: 'Анна Секретова' });
  t.equal((await h.request('POST', `/api/contacts/${contact.body.id}/erase`, h.adminToken)).status, 200);
  // Refused and failed actions change nothing and are not actions taken.
  t.equal((await h.request('POST', '/api/blocked-numbers', boss.token, { number: 'nope', reason: 'x' })).status, 400);

  const trail = await h.request('GET', '/api/audit', h.adminToken);
  t.equal(trail.status, 200);
  // The first admin created by the boss's fixture comes first in time: drop it from the view.
  const items = trail.body.items.filter((e: any) => e.targetId !== boss.id);
  t.match(
    items.map((e: any) => [e.actor.login, e.action, e.targetId]),
    [
      ['admin', 'contact.erased', contact.body.id],
      ['boss', 'number.unblocked', blocked.body.id],
      ['boss', 'number.blocked', blocked.body.id],
      ['admin', 'agent.changed', id],
      ['admin', 'agent.changed', id],
      ['admin', 'agent.changed', id],
      ['admin', 'agent.created', id],
    ],
    'every action, newest first, with who did it',
  );
  t.same(items.length, 7);
  t.match(items[3].details, { active: false }, 'deactivation');
  t.match(items[4].details, { passwordReset: true }, 'a password reset is recorded as such');
  t.match(items[5].details, { role: 'supervisor' }, 'a role change, with the new role');
  t.match(items[1].details, { number: '+79115550101' }, 'the unblocked number');
  t.ok(items.every((e: any) => !Number.isNaN(Date.parse(e.at))), 'each has its time');
  const text = JSON.stringify(trail.body);
  t.notMatch(text, /secret-reset-pass-7|first-password-1/, 'no password is kept');
  t.notMatch(text, /Секретова/, 'the erased person is not kept in the trail either');

  const page = await h.request('GET', `/api/audit?limit=2&before=${items[1].id}`, h.adminToken);
  t.same(page.body.items.map((e: any) => e.action), ['number.blocked', 'agent.changed'], 'paged by `before`');
  const only = await h.request('GET', '/api/audit?action=number.blocked', h.adminToken);
  t.same(only.body.items.map((e: any) => e.targetId), [blocked.body.id], 'filtered by action');

  t.equal((await h.request('GET', '/api/audit', boss.token)).status, 403, 'supervisors may not read it');
});
