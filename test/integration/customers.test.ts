// The customer directory: organisations and contacts (phones in any form, e-mails in any case),
// requests naming their customer, found by them, and a person's data erased on request (152-FZ)
// with their requests kept.
import t from 'tap';
import { desk, entries, registered } from './tickets/fixture';

t.test('contacts are found by a phone in any form, an e-mail in any case and their organisation’s name', async (t) => {
  const h = await desk(t);
  const post = (path: string, body: object, who = h.ivanov) => h.request('POST', path, who.token, body);
  const badInn = await post('/api/organisations', { name: 'ООО Ромашка', inn: '123' });
  t.equal(badInn.status, 400);
  t.equal(badInn.body.field, 'inn', badInn.body.message);
  const org = (await post('/api/organisations', { name: 'ООО Ромашка', inn: '7701234567' })).body;
  const anna = await post('/api/contacts', { name: 'Анна Смирнова', phones: ['8 (921) 941-60-04', '+7 921 941 60 04'], emails: ['Anna.Smirnova@Romashka.RU'], organisationId: org.id, position: 'бухгалтер' });
  t.equal(anna.status, 201);
  t.same(anna.body.phones, ['+79219416004'], 'one number, as calls store it');
  t.same(anna.body.emails, ['anna.smirnova@romashka.ru']);
  t.equal(anna.body.organisationName, 'ООО Ромашка');
  // An office's main line belongs to several people.
  await post('/api/contacts', { name: 'Олег Смирнов', phones: ['+79219416004'], organisationId: org.id });
  const bad = await post('/api/contacts', { name: 'X', emails: ['not-an-address'] });
  t.equal(bad.status, 400);
  t.equal(bad.body.field, 'emails');

  const names = async (query: string) => (await h.request('GET', `/api/contacts?${query}`, h.ivanov.token)).body.items.map((c: any) => c.name);
  t.same(await names(`phone=${encodeURIComponent('8 921 941-60-04')}`), ['Анна Смирнова', 'Олег Смирнов'], 'both people on the line');
  t.same(await names('email=ANNA.SMIRNOVA%40romashka.ru'), ['Анна Смирнова']);
  t.same(await names(`q=${encodeURIComponent('ромашка')}`), ['Анна Смирнова', 'Олег Смирнов'], 'by the organisation');
  t.equal((await h.request('GET', `/api/organisations/${org.id}`, h.ivanov.token)).body.contacts, 2);
});

t.test('a request names its customer; the list and search find it by them; erasing the person keeps the request', async (t) => {
  const h = await desk(t);
  const org = (await h.request('POST', '/api/organisations', h.ivanov.token, { name: 'ЗАО Лютик' })).body;
  const anna = (await h.request('POST', '/api/contacts', h.ivanov.token, { name: 'Анна Смирнова', phones: ['+79219416004'], organisationId: org.id })).body;
  const r = await registered(h, h.ivanov);
  const set = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: r.version, contactId: anna.id });
  t.equal(set.status, 200);
  t.same(set.body.customer, { contactId: anna.id, name: 'Анна Смирнова', organisationId: org.id, organisationName: 'ЗАО Лютик' }, 'the organisation comes with the contact');
  t.same((await entries(h, r.id, 'field_changed')).map((e) => e.data.field), ['contactId', 'organisationId'], 'journaled');
  const unknown = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: set.body.version, contactId: '00000000-0000-4000-8000-000000000000' });
  t.equal(unknown.status, 400);
  t.equal(unknown.body.field, 'contactId');

  await registered(h, h.ivanov, { subject: 'someone else' });
  const ids = async (query: string) => (await h.request('GET', `/api/tickets?${query}`, h.boss.token)).body.items.map((i: any) => i.id);
  t.same(await ids(`contactId=${anna.id}`), [r.id]);
  t.same(await ids(`organisationId=${org.id}`), [r.id]);
  t.same(await ids(`q=${encodeURIComponent('Лютик')}`), [r.id], 'search finds it by the organisation');
  t.same(await ids(`q=${encodeURIComponent('Смирнова')}`), [r.id], 'and by the customer');

  const idsBefore = (await h.request('GET', `/api/tickets/${r.id}`, h.boss.token)).body.journal.map((e: any) => e.id);
  const journalBefore = idsBefore.length;
  const asAgent = await h.request('POST', `/api/contacts/${anna.id}/erase`, h.ivanov.token, {});
  t.equal(asAgent.status, 403, 'only admins erase');
  const erased = await h.request('POST', `/api/contacts/${anna.id}/erase`, h.adminToken, {});
  t.equal(erased.status, 200);
  t.match(erased.body, { name: 'Данные удалены', phones: [], emails: [], erasedAt: String });
  const after = (await h.request('GET', `/api/tickets/${r.id}`, h.boss.token)).body;
  t.same(after.customer, { contactId: anna.id, name: 'Данные удалены', organisationId: org.id, organisationName: 'ЗАО Лютик' }, 'the request stays, without the person');
  t.same(after.journal.slice(0, journalBefore).map((e: any) => e.id), idsBefore, 'its journal, every entry kept');
  const erasure = after.journal[after.journal.length - 1];
  t.match(erasure, { kind: 'customer_erased', data: { contactId: anna.id }, actor: { login: 'admin' } }, 'and the erasure itself, by whom (no personal data in it)');
  t.equal(after.journal.length, journalBefore + 1);
  t.same(await ids(`q=${encodeURIComponent('Смирнова')}`), [], 'the name is gone from search');
});
