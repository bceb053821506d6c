// The customer's links over HTTP: GET shows and changes nothing; a form POST decides once, as the
// customer through the link; a changed request or a spent link changes nothing; no Referer leaks
// the token, no log line holds it; a guessing run is refused.
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '../../../src/logger';
import { waitFor } from '../../helpers/wait';
import { PUBLIC_URL, getPage, linksIn, mailingService, postForm, requestOf } from './helpers';
import type { TestApp } from '../../helpers/app';
import type { SmtpReceiver } from '../../helpers/smtp';

async function completed(h: TestApp, smtp: SmtpReceiver, token: string) {
  const req = await requestOf(h, token, 'maria@client.example.org');
  await h.request('POST', `/api/tickets/${req.id}/transitions`, token, { to: 'completed', solution: 'Обновили драйвер принтера.' });
  const mail = await waitFor('the completion notice', () => smtp.mails.find((m) => m.text.includes(req.number) && /завершена/.test(m.text)));
  const links = Object.fromEntries(Object.entries(linksIn(mail.text)).map(([k, v]) => [k, v.replace(PUBLIC_URL, h.url)]));
  return { ...req, links };
}

const status = async (h: TestApp, id: string) => (await h.request('GET', `/api/tickets/${id}`, h.adminToken)).body;

t.test('GET shows the request and changes nothing; confirm closes it as the customer’s, through the link; a second decision is refused', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  for (let i = 0; i < 3; i++) {
    const page = await getPage(req.links.confirm);
    t.equal(page.status, 200);
    t.equal(page.headers.get('referrer-policy'), 'no-referrer');
    t.match(page.html, `Обращение ${req.number}`);
    t.match(page.html, 'Обновили драйвер принтера.');
    t.match(page.html, 'Да, вопрос решён');
    t.match(page.html, 'Не согласен с решением');
    t.notMatch(page.html, '<script');
  }
  t.equal((await status(h, req.id)).status, 'completed', 'opening the link (a mail scanner does) changes nothing');

  const done = await postForm(req.links.confirm, { action: 'confirm' });
  t.equal(done.status, 200);
  t.match(done.html, 'Обращение закрыто');
  const after = await status(h, req.id);
  t.equal(after.status, 'closed');
  t.equal(after.closeReason, 'confirmed');
  const decision = after.journal.find((e: any) => e.kind === 'customer_decision');
  t.match(decision, { onBehalfOf: 'customer', data: { decision: 'confirmed', channel: 'link', relayedBy: null } });

  const again = await postForm(req.links.disagree, { action: 'disagree', reason: 'Всё-таки не работает' });
  t.equal(again.status, 409);
  t.match(again.html, 'Решение по этой ссылке уже принято');
  t.equal((await status(h, req.id)).status, 'closed', 'nothing changed');
  t.match((await getPage(req.links.page ?? req.links.confirm)).html, 'уже принято');
});

t.test('disagreeing needs a reason; with one the request is back in work with the customer’s reason, and its assignee is told at once', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  const annaSock = await h.socket(anna.token);
  const empty = await postForm(req.links.disagree, { action: 'disagree', reason: '  ' });
  t.equal(empty.status, 400);
  t.match(empty.html, 'Напишите, пожалуйста, что не так');
  t.equal((await status(h, req.id)).status, 'completed');
  const res = await postForm(req.links.disagree, { action: 'disagree', reason: 'Чек печатается пустым' });
  t.equal(res.status, 200);
  const after = await status(h, req.id);
  t.equal(after.status, 'in_progress');
  t.match(after.journal.find((e: any) => e.kind === 'customer_decision'), { onBehalfOf: 'customer', data: { decision: 'disagreed', comment: 'Чек печатается пустым', channel: 'link' } });
  t.match(await annaSock.next((m) => m.type === 'ticket.customer'), { ticket: { id: req.id, status: 'in_progress' }, said: 'disagreed', text: 'Чек печатается пустым' });
});

t.test('a link of a completion the request has moved on from changes nothing', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  // The customer rang and disagreed instead.
  await h.request('POST', `/api/tickets/${req.id}/transitions`, anna.token, { to: 'in_progress', comment: 'Позвонила: не работает' });
  const res = await postForm(req.links.confirm, { action: 'confirm' });
  t.equal(res.status, 409);
  t.match(res.html, 'Обращение сейчас в работе');
  t.equal((await status(h, req.id)).status, 'in_progress');
});

t.test('an unknown or expired link shows a page that says so; bad actions are refused', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  t.equal((await getPage(`${h.url}/r/${'A'.repeat(43)}`)).status, 404);
  t.equal((await postForm(req.links.confirm, { action: 'delete' })).status, 400);
  await postForm(req.links.confirm, { action: 'confirm' });
  t.equal((await getPage(req.links.confirm)).status, 409, 'within 30 days of closing: the page says it is decided');
  await h.app.ds.query(`UPDATE ticket SET closed_at = now() - interval '31 days' WHERE id = $1`, [req.id]);
  const old = await getPage(req.links.confirm);
  t.equal(old.status, 404);
  t.match(old.html, 'срок её действия истёк');
});

t.test('a guessing run gets 429; a person using a link keeps going', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  for (let i = 0; i < 40; i++) t.equal((await getPage(req.links.confirm)).status, 200, `view ${i + 1}`);
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) statuses.push((await getPage(`${h.url}/r/${String(i).padStart(43, 'x')}`)).status);
  t.equal(statuses[0], 404);
  t.equal(statuses[statuses.length - 1], 429, 'guessing is refused');
});

t.test('tokens never appear in the logs', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
  const { h, smtp } = await mailingService(t, { logger: createLogger('debug', sink) });
  const anna = await h.agent('anna', '101');
  const req = await completed(h, smtp, anna.token);
  await getPage(req.links.confirm);
  await postForm(req.links.confirm, { action: 'confirm' });
  const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(req.links.confirm)![1];
  t.ok(lines.some((l) => l.includes('/r/[redacted]')), 'the link page’s requests are logged');
  t.notOk(lines.some((l) => l.includes(token)), 'without the token');
});

t.test('the acknowledgement: the number in reply to the customer’s mail, a withdrawal link; at most 3 automatic mails per address in 10 minutes', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org', 'Re: Fwd: Касса не печатает');
  const id = await h.app.mail!.customerMail.queueAcknowledgement(req.id, { to: 'Maria@Client.example.org', inReplyTo: '<first@client.example.org>', references: ['<first@client.example.org>'] });
  t.match(id, /^<[0-9a-f-]{36}@desk\.example\.ru>$/);
  const ack = await waitFor('the acknowledgement', () => smtp.mails[0]);
  t.equal(ack.subject, `[CD#${req.number}] Касса не печатает`);
  t.equal(ack.inReplyTo, '<first@client.example.org>');
  t.equal(ack.header('auto-submitted'), 'auto-replied');
  t.equal(ack.messageId, id);
  t.match(ack.text, `зарегистрировано под номером ${req.number}`);
  const link = linksIn(ack.text).page.replace(PUBLIC_URL, h.url);
  const page = await getPage(link);
  t.match(page.html, 'Отозвать обращение');
  t.notMatch(page.html, 'Да, вопрос решён', 'a withdrawal link offers only that');
  const res = await postForm(link, { action: 'withdraw' });
  t.equal(res.status, 200);
  const after = await status(h, req.id);
  t.equal(after.status, 'closed');
  t.equal(after.closeReason, 'withdrawn');

  for (let i = 0; i < 3; i++) await h.app.mail!.customerMail.queueAcknowledgement(req.id, { to: 'maria@client.example.org' });
  const rows = await h.app.ds.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE recipient = 'maria@client.example.org' AND automatic`);
  t.equal(rows[0].n, 3, 'the fourth automatic mail in 10 minutes is not queued');
  t.equal(await h.app.mail!.customerMail.queueAcknowledgement(req.id, { to: 'maria@client.example.org' }), null);
  const reply = await h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Ответ человека', toCustomer: true });
  t.equal(reply.status, 200, 'an agent’s reply is not an automatic mail: not held back');
  await waitFor('the agent’s reply to arrive', () => smtp.mails.find((m) => m.text.startsWith('Ответ человека')));
});
