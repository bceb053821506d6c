// Several instances send from one outbox: each mail goes once (claimed with FOR UPDATE SKIP
// LOCKED), and the intake can tell which request a Message-ID of ours belongs to.
import t from 'tap';
import pino from 'pino';
import { requestsOfOurMessages } from '../../../src/db/mail-outbox';
import { MailOutbox } from '../../../src/mail/outbox';
import { waitFor } from '../../helpers/wait';
import { MAIL_FROM, mailingService, requestOf } from './helpers';

t.test('two instances sending from one outbox send each mail once', async (t) => {
  const { h, smtp } = await mailingService(t);
  // A second instance's worker on the same database.
  const other = new MailOutbox({ ds: h.app.ds, smtpUrl: smtp.url, from: MAIL_FROM, publicUrl: 'https://desk.example.ru', logger: pino({ level: 'silent' }), pollMs: 20 });
  other.start();
  t.teardown(() => other.stop());
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  const sent = 12;
  await Promise.all(Array.from({ length: sent }, (_, i) => h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: `Ответ ${i + 1}`, toCustomer: true })));
  await waitFor('every reply to arrive', () => smtp.mails.length >= sent, 20_000);
  await waitFor('both workers idle', async () => (await h.request('GET', '/api/health', null)).body.mail.outbox === 0);
  await other.sendDue();
  await h.app.mail!.outbox.sendDue();
  const ids = smtp.mails.map((m) => m.messageId);
  t.equal(ids.length, sent, 'no mail twice');
  t.equal(new Set(ids).size, sent);
  t.same(smtp.mails.map((m) => m.text.split('\n')[0]).sort(), Array.from({ length: sent }, (_, i) => `Ответ ${i + 1}`).sort());

  const found = await requestsOfOurMessages(h.app.ds, [ids[0], '<someone-else@example.org>']);
  t.same(found, [{ messageId: ids[0], ticketId: req.id }], 'our Message-IDs lead back to the request');
});
