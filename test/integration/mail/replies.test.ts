// Replies thread to their request — by the subject's tag or by In-Reply-To / References — when the
// sender is its customer or a colleague at the same organisation; the customer's words go into the
// journal (channel e-mail), restart R10 on a completed request and flag «not solved». Anyone else's
// mail on the thread opens a new request linked to the one it names.
import t from 'tap';
import { waitFor } from '../../helpers/wait';
import { fixture, mailDesk, mailRows, type MailDesk } from './mail-harness';

async function romashka(d: MailDesk): Promise<void> {
  const org = await d.h.request('POST', '/api/organisations', d.h.adminToken, { name: 'ООО «Ромашка»' });
  for (const [name, email] of [['Иван Петров', 'ivan@romashka.ru'], ['Мария Сидорова', 'maria@romashka.ru']]) {
    const c = await d.h.request('POST', '/api/contacts', d.h.adminToken, { name, emails: [email], organisationId: org.body.id });
    if (c.status !== 201) throw new Error(`contact: ${c.status} ${JSON.stringify(c.body)}`);
  }
}

/** Ivan's first mail, registered; the request as the API shows it. */
async function opened(d: MailDesk): Promise<any> {
  await d.dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  const row = await waitFor('the request', async () => (await mailRows(d.h)).find((r) => r.outcome === 'request'));
  return (await d.h.request('GET', `/api/tickets/${row.ticket_id}`, d.h.adminToken)).body;
}

const withTag = (raw: Buffer, number: string) => Buffer.from(raw.toString('latin1').replace('[CD#2026-000001]', `[CD#${number}]`), 'latin1');
const journalOf = async (d: MailDesk, id: string) => (await d.h.request('GET', `/api/tickets/${id}`, d.h.adminToken)).body.journal;

t.test("a colleague's Outlook reply with the tag lands in the request's journal as the customer's e-mail", async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const req = await opened(d);
  t.match(req.customer, { name: 'Иван Петров', organisationName: 'ООО «Ромашка»' }, 'the customer is matched by address, the organisation with them');
  const sock = await d.h.socket(d.h.adminToken);
  await d.dv.deliver(withTag(fixture('reply-outlook-cp1251.eml'), req.number));

  const update = await sock.next((m) => m.type === 'ticket.updated' && m.ticket.id === req.id, 15_000);
  t.equal(update.ticket.status, 'registered');
  const entry = (await journalOf(d, req.id)).find((e: any) => e.kind === 'customer_message');
  t.match(entry, { onBehalfOf: 'customer', actor: null, data: { channel: 'email', notSolved: false, messageId: '<AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>' } });
  t.equal(entry.data.text, 'Здравствуйте!\n\nСпасибо, после перезапуска службы всё заработало.\n\nМария Сидорова', "Outlook's history is folded away");
  t.match(d.told.at(-1), { kind: 'reply', ticketId: req.id, message: { from: 'maria@romashka.ru', autoReplyAllowed: true } });
  const all = await d.h.request('GET', '/api/tickets?view=open', d.h.adminToken);
  t.equal(all.body.items.length, 1, 'no second request');
});

t.test('a Gmail reply found by References to a completed request restarts R10 and says «not solved»', async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const req = await opened(d);
  for (const body of [{ to: 'in_progress' }, { to: 'completed', solution: 'Перезапустите службу печати' }]) {
    const r = await d.h.request('POST', `/api/tickets/${req.id}/transitions`, d.h.adminToken, body);
    t.equal(r.status, 200, JSON.stringify(r.body));
  }
  const before = (await d.h.request('GET', `/api/tickets/${req.id}`, d.h.adminToken)).body.autoCloseAt;
  // Gmail keeps the whole chain in References: Ivan's first mail, then calldesk's.
  const reply = fixture('reply-gmail-utf8.eml').toString('latin1').replace('References: <ack-1@calldesk.example.ru>', 'References: <0f1e2d3c-koi8@romashka.ru> <ack-1@calldesk.example.ru>');
  await d.dv.deliver(Buffer.from(reply, 'latin1'));
  const entry = await waitFor('the reply journaled', async () => (await journalOf(d, req.id)).find((e: any) => e.kind === 'customer_message'));
  t.match(entry.data, { text: 'Всё ещё не работает: та же ошибка 1042.', notSolved: true });
  const after = (await d.h.request('GET', `/api/tickets/${req.id}`, d.h.adminToken)).body;
  t.equal(after.status, 'completed', 'the assignee relays the disagreement (R8); the mail does not reopen by itself');
  t.ok(after.autoCloseAt >= before && entry.data.autoCloseAt === after.autoCloseAt, 'R10 counts again from the reply');
});

t.test("a stranger's mail naming the request opens a new request linked to it", async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const req = await opened(d);
  const stranger = withTag(fixture('reply-outlook-cp1251.eml'), req.number).toString('latin1').replace(/^From: .*$/m, 'From: someone@elsewhere.ru').replace(/^Return-Path: .*$/m, 'Return-Path: <someone@elsewhere.ru>');
  await d.dv.deliver(Buffer.from(stranger, 'latin1'));
  const row = await waitFor('the second mail', async () => (await mailRows(d.h)).find((r) => r.uid === 2));
  t.equal(row.outcome, 'request');
  t.not(row.ticket_id, req.id);
  const other = (await d.h.request('GET', `/api/tickets/${row.ticket_id}`, d.h.adminToken)).body;
  t.match(other, { parentId: req.id, channel: 'email', subject: 'Не печатаются накладные', status: 'registered', customer: null });
  t.notOk((await journalOf(d, req.id)).some((e: any) => e.kind === 'customer_message'), "nothing lands in the named request's journal");
  t.ok((await journalOf(d, req.id)).some((e: any) => e.kind === 'linked_request'), 'it says a request was linked to it');
});

t.test("a reply to a closed request opens a new one linked to it", async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const req = await opened(d);
  t.equal((await d.h.request('POST', `/api/tickets/${req.id}/transitions`, d.h.adminToken, { to: 'closed', reason: 'withdrawn' })).status, 200);
  await d.dv.deliver(withTag(fixture('reply-outlook-cp1251.eml'), req.number));
  const row = await waitFor('the reply', async () => (await mailRows(d.h)).find((r) => r.uid === 2));
  t.equal(row.outcome, 'request');
  t.match((await d.h.request('GET', `/api/tickets/${row.ticket_id}`, d.h.adminToken)).body, { parentId: req.id, customer: { name: 'Мария Сидорова' } });
});

t.test("a request lists its mails and their attachments; a kept attachment downloads, never inline", async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('new-html-only-cp1251.eml'));
  const row = await waitFor('the request', async () => (await mailRows(d.h)).find((r) => r.outcome === 'request'));
  const agent = await d.h.agent('olga', '101');
  const list = await d.h.request('GET', `/api/tickets/${row.ticket_id}/mail`, agent.token);
  t.equal(list.status, 200);
  t.match(list.body.items, [{ from: 'olga@lesnoe.ru', outcome: 'request', attachments: [{ filename: 'screen.png', contentType: 'image/png', size: 70, kept: true }] }]);
  const res = await fetch(`${d.h.url}/api/mail-attachments/${list.body.items[0].attachments[0].id}`, { headers: { authorization: `Bearer ${agent.token}` } });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-disposition'), /^attachment; filename="screen\.png"/);
  t.equal(res.headers.get('x-content-type-options'), 'nosniff');
  t.equal(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString(), 'PNG');
  t.equal((await fetch(`${d.h.url}/api/mail-attachments/${list.body.items[0].attachments[0].id}`)).status, 401, 'signed-in users only');
  t.equal((await d.h.request('GET', `/api/tickets/00000000-0000-4000-8000-000000000000/mail`, agent.token)).status, 404);
});

t.test('an unknown sender at a known organisation\'s domain gets that organisation; at a free mail service none', async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const from = (addr: string, id: string) => `From: ${addr}\r\nSubject: Вопрос\r\nMessage-ID: <${id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nНе открывается касса.\r\n`;
  await d.dv.deliver(from('petr@romashka.ru', 'p1@romashka.ru'));
  await d.dv.deliver(from('petr@gmail.com', 'p2@gmail.com'));
  await waitFor('both read', async () => (await mailRows(d.h)).length === 2);
  const [a, b] = await mailRows(d.h);
  t.match((await d.h.request('GET', `/api/tickets/${a.ticket_id}`, d.h.adminToken)).body.customer, { contactId: null, organisationName: 'ООО «Ромашка»' });
  const stranger = (await d.h.request('GET', `/api/tickets/${b.ticket_id}`, d.h.adminToken)).body;
  t.equal(stranger.customer, null);
  t.equal(stranger.senderEmail, 'petr@gmail.com', 'the request keeps the address it came from');
});

t.test("the request's assignee hears at once what the customer wrote, a colleague does not; while no one works it, supervisors do", async (t) => {
  const d = await mailDesk(t);
  await romashka(d);
  const req = await opened(d);
  const boss = await d.h.agent('boss', null, 'supervisor');
  const bossSock = await d.h.socket(boss.token);
  await d.dv.deliver(withTag(fixture('reply-outlook-cp1251.eml'), req.number));
  const toBoss = await bossSock.next((m) => m.type === 'ticket.customer', 15_000);
  t.match(toBoss, { ticket: { id: req.id, number: req.number }, said: 'message', text: /после перезапуска службы всё заработало/, notSolved: false });

  const anna = await d.h.agent('anna', '101');
  const oleg = await d.h.agent('oleg', '102');
  const now = (await d.h.request('GET', `/api/tickets/${req.id}`, d.h.adminToken)).body;
  t.equal((await d.h.request('PATCH', `/api/tickets/${req.id}`, d.h.adminToken, { version: now.version, assignees: [anna.id] })).status, 200);
  const annaSock = await d.h.socket(anna.token);
  const olegSock = await d.h.socket(oleg.token);
  const reply = fixture('reply-gmail-utf8.eml').toString('latin1').replace('References: <ack-1@calldesk.example.ru>', 'References: <0f1e2d3c-koi8@romashka.ru> <ack-1@calldesk.example.ru>');
  await d.dv.deliver(Buffer.from(reply, 'latin1'));
  const toAnna = await annaSock.next((m) => m.type === 'ticket.customer', 15_000);
  t.match(toAnna, { ticket: { id: req.id }, said: 'message', text: 'Всё ещё не работает: та же ошибка 1042.' });
  // Anything sent to the others with it is ahead of the answer to a ping.
  for (const s of [olegSock, bossSock]) {
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.next((m) => m.type === 'pong');
  }
  t.notOk(olegSock.messages.some((m) => m.type === 'ticket.customer'), 'a colleague is not told');
  t.equal(bossSock.messages.filter((m) => m.type === 'ticket.customer').length, 1, 'supervisors are not told once someone works it');

  // The request says the customer waits, in the list too, until Anna acts on it.
  t.ok(toAnna.ticket.customerWroteAt, 'the customer waits');
  const mine = (await d.h.request('GET', '/api/tickets?view=mine', anna.token)).body.items;
  t.equal(mine.find((x: any) => x.id === req.id)?.customerWroteAt, toAnna.ticket.customerWroteAt);
  // …and the list can show only such requests (or only the others), counted as shown.
  const waiting = async (waits: boolean) => (await d.h.request('GET', `/api/tickets?view=open&customerWaits=${waits}`, anna.token)).body;
  t.match(await waiting(true), { items: [{ id: req.id }], total: { count: 1 } }, 'the customer waits: in the «ждут ответа» list');
  t.notOk((await waiting(false)).items.some((x: any) => x.id === req.id), 'not among the others');
  t.equal((await d.h.request('POST', `/api/tickets/${req.id}/comments`, anna.token, { text: 'Проверяю журнал ошибок' })).status, 200);
  t.equal((await d.h.request('GET', `/api/tickets/${req.id}`, anna.token)).body.customerWroteAt, null, 'answered: no one waits');
  t.match(await waiting(true), { items: [], total: { count: 0 } }, 'answered: off the «ждут ответа» list');
  t.ok((await waiting(false)).items.some((x: any) => x.id === req.id), 'among the others again');
});
