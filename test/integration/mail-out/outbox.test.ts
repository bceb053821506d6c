// The outbox against a real SMTP receiver: an agent's reply and the completion notice reach the
// customer with the tag, our Message-ID (kept with the request) and the thread's headers; a
// server that says "try later" gets the mail again, once; health shows what waits.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { waitFor } from '../../helpers/wait';
import { outboxMailsOf } from '../../../src/db/mail-outbox';
import { mailingService, requestOf } from './helpers';

t.test('«Ответить клиенту» mails the customer the reply, tagged, and journals it as sent to the customer', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'Maria@Client.example.org');
  const res = await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Переустановите драйвер принтера.', toCustomer: true });
  t.equal(res.status, 200);
  const mail = await waitFor('the reply to arrive', () => smtp.mails[0]);
  t.same(mail.to, ['maria@client.example.org']);
  t.equal(mail.subject, `[CD#${req.number}] Не печатает чек`);
  t.match(mail.text, /^Переустановите драйвер принтера\./);
  t.match(mail.text, /anna\nСлужба поддержки/);
  t.equal(mail.header('auto-submitted'), null, 'a person answered: not an automatic mail');
  t.match(mail.header('from') ?? '', /support@desk\.example\.ru/);
  const [stored] = await outboxMailsOf(h.app.ds, req.id);
  t.equal(mail.messageId, stored.message_id, 'the Message-ID sent is kept with the request');
  t.match(stored.message_id, /^<[0-9a-f-]{36}@desk\.example\.ru>$/);
  await waitFor('the mail marked sent', async () => (await outboxMailsOf(h.app.ds, req.id))[0].status === 'sent');
  const detail = await h.request('GET', `/api/tickets/${req.id}`, anna.token);
  const entry = detail.body.journal.find((e: any) => e.kind === 'comment');
  t.same(entry.data, { text: 'Переустановите драйвер принтера.', toCustomer: true });
  const listed = await h.request('GET', `/api/tickets/${req.id}/mails`, anna.token);
  t.equal(listed.status, 200);
  t.match(listed.body.items, [{ kind: 'reply', to: 'maria@client.example.org', subject: `[CD#${req.number}] Не печатает чек`, messageId: mail.messageId, status: 'sent', attempts: 1, lastError: null }]);
});

t.test('a reply to a customer without an e-mail is refused (409) and nothing is journaled', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, null);
  const res = await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Ответ', toCustomer: true });
  t.equal(res.status, 409);
  t.match(res.body.message, /no customer with an e-mail/);
  t.equal(res.body.field ?? res.body.details?.field, 'contactId');
  const detail = await h.request('GET', `/api/tickets/${req.id}`, anna.token);
  t.notOk(detail.body.journal.some((e: any) => e.kind === 'comment'));
  t.equal(smtp.mails.length, 0);
});

t.test('completing mails the solution with links to confirm or disagree, as an automatic mail in the thread', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Проверяем.', toCustomer: true });
  const reply = await waitFor('the reply', () => smtp.mails[0]);
  const done = await h.request('POST', `/api/tickets/${req.id}/transitions`, anna.token, { to: 'completed', solution: 'Обновили драйвер принтера до 2.1.' });
  t.equal(done.status, 200);
  const notice = await waitFor('the completion notice', () => smtp.mails[1]);
  t.equal(notice.subject, `[CD#${req.number}] Не печатает чек`);
  t.equal(notice.header('auto-submitted'), 'auto-replied');
  t.equal(notice.inReplyTo, reply.messageId, 'it answers the last mail of the thread');
  t.match(notice.references ?? '', reply.messageId);
  t.match(notice.text, /Решение:\nОбновили драйвер принтера до 2\.1\./);
  const links = [...notice.text.matchAll(/https:\/\/desk\.example\.ru\/r\/([A-Za-z0-9_-]{43})\?action=(confirm|disagree)/g)];
  t.equal(links.length, 2, 'a link to confirm and one to disagree');
  const stored = await outboxMailsOf(h.app.ds, req.id);
  t.notOk(stored.some((m) => m.body.includes(links[0][1])), 'the token is not kept in the outbox');
  const [kept] = await h.app.ds.query(`SELECT count(*)::int AS n FROM customer_link WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, [links[0][1]]);
  t.equal(kept.n, 1, 'only its hash is stored');
});

t.test('a request completed without a customer e-mail sends nothing', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, null);
  const done = await h.request('POST', `/api/tickets/${req.id}/transitions`, anna.token, { to: 'completed', solution: 'Решено по телефону.' });
  t.equal(done.status, 200);
  t.same(await outboxMailsOf(h.app.ds, req.id), []);
  t.equal(smtp.mails.length, 0);
});

t.test('a server that says "try later" gets the mail again, and it arrives once', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  smtp.refuseNext(2);
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Ответ после отказов.', toCustomer: true });
  await waitFor('the mail to arrive after retries', () => smtp.mails[0]);
  const [m] = await waitFor('the mail marked sent', async () => {
    const rows = await outboxMailsOf(h.app.ds, req.id);
    return rows[0]?.status === 'sent' && rows;
  });
  t.equal(m.attempts, 3, 'two refusals, then sent');
  await h.app.mail!.outbox.sendDue();
  t.equal(smtp.mails.length, 1, 'sent once');
});

t.test('health shows the outbox depth; mails wait while the SMTP server is away', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  let health = await h.request('GET', '/api/health', null);
  t.same(health.body.mail, { outbox: 0 });
  await smtp.close();
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Ответ в пустоту.', toCustomer: true });
  await waitFor('a failed attempt', async () => (await outboxMailsOf(h.app.ds, req.id))[0]?.last_error);
  health = await h.request('GET', '/api/health', null);
  t.same(health.body.mail, { outbox: 1 }, 'the mail waits: not lost');
});

t.test('without MAIL_SMTP_URL a reply to the customer is refused and health says nothing of mail', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const anna = await h.agent('anna', '101');
  const c = await h.request('POST', '/api/contacts', h.adminToken, { name: 'Мария', emails: ['m@example.org'] });
  const r = await h.request('POST', '/api/tickets', anna.token, { subject: 'x', description: 'y', contactId: c.body.id, register: true });
  const res = await h.request('POST', `/api/tickets/${r.body.id}/comments`, anna.token, { text: 'Ответ', toCustomer: true });
  t.equal(res.status, 409);
  t.match(res.body.message, /MAIL_SMTP_URL/);
  t.notOk('mail' in (await h.request('GET', '/api/health', null)).body);
});

t.test('a mail is sent as soon as its change is stored, not at the next poll', async (t) => {
  const { h, smtp } = await mailingService(t, { pollMs: 600_000 });
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Сразу.', toCustomer: true });
  await waitFor('the reply, well before the 10-minute poll', () => smtp.mails[0], 5000);
  t.pass('sent at once');
});

t.test('a mail the server refuses for good (5xx) is kept as failed with the reason, not retried', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  smtp.refuseNext(5, 550);
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Не дойдёт.', toCustomer: true });
  const [failed] = await waitFor('the mail marked failed', async () => {
    const listed = (await h.request('GET', `/api/tickets/${req.id}/mails`, anna.token)).body.items;
    return listed[0]?.status === 'failed' && listed;
  });
  t.match(failed.lastError, /mailbox unavailable/);
  t.equal(failed.attempts, 1);
  await h.app.mail!.outbox.sendDue();
  t.equal((await h.request('GET', `/api/tickets/${req.id}/mails`, anna.token)).body.items[0].attempts, 1, 'not tried again');
  t.same((await h.request('GET', '/api/health', null)).body.mail, { outbox: 0 }, 'it waits no more');
});

t.test('a reply answers the customer’s latest mail when the intake tells of it', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  const first = new Date(Date.now() - 60_000);
  h.app.mail!.customerMail.received = async () => [
    { messageId: '<latest@client.example.org>', at: new Date() },
    { messageId: '<first@client.example.org>', at: first },
  ];
  await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Ответ в ветке.', toCustomer: true });
  const mail = await waitFor('the reply', () => smtp.mails[0]);
  t.equal(mail.inReplyTo, '<latest@client.example.org>');
  t.equal(mail.references, '<first@client.example.org> <latest@client.example.org>');
});
