// A password an admin sets is temporary: its owner is asked for a new one, changes it knowing the
// current one, and their other sessions end; a reset by an admin ends them all.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';

t.test('a new user must change the admin’s password, changes it with the current one, and other sessions end', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const made = await h.request('POST', '/api/agents', h.adminToken, { login: 'novikova', password: 'temporary-pass', extension: '105' });
  t.equal(made.status, 201);
  t.equal(made.body.mustChangePassword, true, 'a user created by an admin must choose their own password');
  const first = await h.login('novikova', 'temporary-pass');
  const second = await h.login('novikova', 'temporary-pass');
  t.equal((await h.request('GET', '/api/session', first)).body.agent.mustChangePassword, true, 'the panel learns it on sign-in');
  const signedIn = await h.request('POST', '/api/session', null, { login: 'novikova', password: 'temporary-pass' });
  t.match(signedIn.body, { mustChangePassword: true, user: { login: 'novikova' }, agent: { login: 'novikova' } }, 'and the sign-in says so');
  const blocked = await h.request('GET', '/api/tickets', first);
  t.equal(blocked.status, 403, 'until then the session does nothing else');
  t.equal(blocked.body.error, 'password_change_required');
  t.equal((await h.request('GET', '/api/me', first)).body.login, 'novikova', 'but may read who it is');

  const change = (body: object, token = first) => h.request('POST', '/api/me/password', token, body);
  for (const [body, field, why] of [
    [{ currentPassword: 'wrong-one', newPassword: 'my-own-password' }, 'currentPassword', 'a wrong current password'],
    [{ currentPassword: 'temporary-pass', newPassword: 'temporary-pass' }, 'newPassword', 'the same password again'],
    [{ currentPassword: 'temporary-pass', newPassword: 'short' }, 'newPassword', 'a too short one'],
    [{ currentPassword: 'temporary-pass' }, 'newPassword', 'none at all'],
  ] as const) {
    const res = await change(body);
    t.equal(res.status, 400, `${why}: 400`);
    t.equal(res.body.field, field, `${why}: names ${field} (${res.body.message})`);
  }
  t.equal((await change({ currentPassword: 'temporary-pass', newPassword: 'my-own-password' })).status, 204);
  t.equal((await h.request('GET', '/api/session', first)).body.agent.mustChangePassword, false, 'no longer asked');
  t.equal((await h.request('GET', '/api/session', second)).status, 401, 'the other session has ended');
  t.equal((await h.request('GET', '/api/session', first)).status, 200, 'this one goes on');
  t.equal((await h.request('GET', '/api/tickets', first)).status, 200, 'and may work now');
  t.equal((await h.request('POST', '/api/session', null, { login: 'novikova', password: 'temporary-pass' })).status, 401, 'the old password no longer opens');
  await h.login('novikova', 'my-own-password');

  // An admin's reset: temporary again, and every session of the user ends.
  const reset = await h.request('PATCH', `/api/agents/${made.body.id}`, h.adminToken, { password: 'another-temporary' });
  t.equal(reset.body.mustChangePassword, true, 'a reset password is temporary');
  t.equal((await h.request('GET', '/api/session', first)).status, 401, 'the reset ends the user’s sessions');
  t.equal((await h.request('GET', '/api/agents', h.adminToken)).body.find((a: any) => a.login === 'novikova').mustChangePassword, true);
});
