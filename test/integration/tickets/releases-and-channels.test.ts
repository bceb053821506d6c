// Requests that came without a call carry their channel; the customer's release and the release
// that fixes a request are fields of their own: journaled when changed, and filters of the list.
import t from 'tap';
import { desk, entries, registered } from './fixture';

const ids = (res: { body: any }) => res.body.items.map((i: any) => i.id);

t.test('a request registered from an e-mail or a visit keeps its channel; the list filters by it', async (t) => {
  const h = await desk(t);
  const mail = await registered(h, h.ivanov, { channel: 'email', productVersion: '5.2.1' });
  const visit = await registered(h, h.ivanov, { channel: 'in_person' });
  const script = await registered(h, h.ivanov);
  t.equal(mail.channel, 'email');
  t.equal(mail.productVersion, '5.2.1', 'the customer’s release, given at once');
  t.equal(visit.channel, 'in_person');
  t.equal(script.channel, 'web', 'the API’s own, when none is given');
  t.same(ids(await h.request('GET', '/api/tickets?channel=email', h.boss.token)), [mail.id]);
  const bad = await h.request('POST', '/api/tickets', h.ivanov.token, { description: 'x', channel: 'pigeon' });
  t.equal(bad.status, 400);
  t.equal(bad.body.field, 'channel', `names the field: ${bad.body.message}`);
});

t.test('the release that fixes a request is set later, journaled, and lists what a release fixed', async (t) => {
  const h = await desk(t);
  const a = await registered(h, h.ivanov, { productVersion: '5.2.1' });
  const b = await registered(h, h.ivanov, { productVersion: '5.2.0' });
  await registered(h, h.ivanov);
  const set = await h.request('PATCH', `/api/tickets/${a.id}`, h.ivanov.token, { version: a.version, fixedIn: ' 5.3.0 ' });
  t.equal(set.status, 200);
  t.equal(set.body.fixedIn, '5.3.0', 'trimmed');
  t.same((await entries(h, a.id, 'field_changed')).map((e) => e.data), [{ field: 'fixedIn', from: '', to: '5.3.0' }], 'journaled like any field');
  t.same(ids(await h.request('GET', '/api/tickets?fixedIn=5.3.0', h.boss.token)), [a.id], 'fixed in 5.3.0');
  t.same(ids(await h.request('GET', '/api/tickets?productVersion=5.2.0', h.boss.token)), [b.id], 'reported on 5.2.0');
  const long = await h.request('PATCH', `/api/tickets/${b.id}`, h.ivanov.token, { version: b.version, fixedIn: '9'.repeat(65) });
  t.equal(long.status, 400);
  t.equal(long.body.field, 'fixedIn');
});
