// An agent opens a request that came by e-mail and finds, on its page, the customer's mails with
// their attachments: the screenshot the customer sent downloads with one click, and a reply that
// arrives while the page is open appears on it, its attachment too.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { openPanel, screenshot, signIn } from '../helpers/browser';
import { waitFor } from '../helpers/wait';
import { ADMIN, buildTestApp } from '../helpers/app';
import { startDovecot } from '../helpers/dovecot';
import { fixture, MAIL_FROM, mailDesk, mailRows } from '../integration/mail/mail-harness';

/** Olga's answer to her own first mail, with a log file attached. */
const reply = (): string =>
  [
    'From: olga@lesnoe.ru',
    'To: support@example.ru',
    'Subject: Re: Не открывается отчёт',
    'Message-ID: <reply-with-log@lesnoe.ru>',
    'In-Reply-To: <html-only-1@lesnoe.ru>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Прикладываю журнал ошибок.',
    '--b1',
    'Content-Type: text/plain; name="error.log"',
    'Content-Disposition: attachment; filename="error.log"',
    '',
    'ERROR 1042: report template not found',
    '--b1--',
    '',
  ].join('\r\n');

t.test("the customer's mails and attachments are on the request's page; an attachment downloads; a reply appears while it is open", async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('new-html-only-cp1251.eml'));
  const row = await waitFor('the request', async () => (await mailRows(d.h)).find((r) => r.outcome === 'request'));
  const number = (await d.h.request('GET', `/api/tickets/${row.ticket_id}`, d.h.adminToken)).body.number;
  await d.h.agent('olga', '101');

  const { page, errors } = await openPanel(t, `${d.h.url}/tickets/${number}`);
  await signIn(page, 'olga', 'olga-password');
  const mails = page.getByTestId('customer-mails');
  await mails.waitFor();
  const first = mails.locator(':scope > li').first();
  t.match(await first.textContent(), /olga@lesnoe\.ru · открыло обращение/);
  t.match(await first.getByTestId('mail-attachment').textContent(), /^screen\.png 70 Б$/);

  const [download] = await Promise.all([page.waitForEvent('download'), first.getByRole('link', { name: 'screen.png' }).click()]);
  t.equal(download.suggestedFilename(), 'screen.png');
  const saved = readFileSync((await download.path())!);
  t.equal(saved.length, 70);
  t.equal(saved.subarray(1, 4).toString(), 'PNG', 'the bytes the customer sent');

  await d.dv.deliver(reply());
  await waitFor('the reply on the page', async () => (await mails.locator(':scope > li').count()) === 2, 20_000);
  const second = mails.locator(':scope > li').nth(1);
  t.match(await second.textContent(), /ответ клиента/);
  t.match(await second.getByTestId('mail-attachment').textContent(), /^error\.log 37 Б$/);
  await mails.scrollIntoViewIfNeeded();
  await screenshot(page, '36-customer-mails');
  t.same(errors, []);
});

t.test('a customer created on an e-mailed request keeps the address the mail came from, and their next mail is theirs', async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('new-html-only-cp1251.eml'));
  const row = await waitFor('the request', async () => (await mailRows(d.h)).find((r) => r.outcome === 'request'));
  const req = (await d.h.request('GET', `/api/tickets/${row.ticket_id}`, d.h.adminToken)).body;
  const olga = await d.h.agent('olga', '101');
  t.equal((await d.h.request('PATCH', `/api/tickets/${req.id}`, d.h.adminToken, { version: req.version, assignees: [olga.id] })).status, 200);

  const { page, errors } = await openPanel(t, `${d.h.url}/tickets/${req.number}`);
  const mailReads: string[] = [];
  page.on('request', (r) => r.url().endsWith(`/api/tickets/${req.id}/mail`) && mailReads.push(r.url()));
  await signIn(page, 'olga', 'olga-password');
  // Her request came by mail and nobody has answered it: its customer waits, the top bar says so.
  await page.getByTestId('waiting-badge').filter({ hasText: 'ждут: 1' }).waitFor();
  const card = page.getByTestId('customer-card');
  t.match(await page.locator('.request-head').textContent(), /Клиент: olga@lesnoe\.ru/, 'the address it came from, not «Номер скрыт»');
  t.equal(await card.getByTestId('new-contact-email').textContent(), 'с адресом olga@lesnoe.ru');
  await page.getByTestId('customer-mails').waitFor();
  t.equal(mailReads.length, 1, 'the page reads the mails once');
  await card.getByLabel('Новый клиент: имя').fill('Ольга Лесная');
  await card.getByRole('button', { name: 'Создать клиента' }).click();
  await card.getByTestId('customer').getByText('Ольга Лесная').waitFor();
  const contact = (await d.h.request('GET', `/api/tickets/${req.id}`, d.h.adminToken)).body.customer;
  t.same((await d.h.request('GET', `/api/contacts/${contact.contactId}`, d.h.adminToken)).body.emails, ['olga@lesnoe.ru']);

  await d.dv.deliver(['From: olga@lesnoe.ru', 'Subject: Ещё вопрос', 'Message-ID: <second-question@lesnoe.ru>', 'Content-Type: text/plain; charset=utf-8', '', 'Как выгрузить отчёт в Excel?', ''].join('\r\n'));
  const next = await waitFor('the second request', async () => (await mailRows(d.h)).find((r) => r.uid === 2 && r.outcome === 'request'));
  t.match((await d.h.request('GET', `/api/tickets/${next.ticket_id}`, d.h.adminToken)).body.customer, { contactId: contact.contactId, name: 'Ольга Лесная' }, 'the directory knows her by the address now');
  t.match(await page.locator('.request-head').textContent(), /Клиент: Ольга Лесная/);

  // The list says who wrote: her name on both requests; a stranger by the address they wrote from.
  await d.dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('the third request', async () => (await mailRows(d.h)).some((r) => r.uid === 3 && r.outcome === 'request'));
  await page.goto(`${d.h.url}/tickets?view=unassigned`);
  const from = page.getByTestId('request-from');
  await waitFor('two unassigned', async () => (await from.count()) === 2);
  t.same((await from.allTextContents()).sort(), ['ivan@romashka.ru', 'Ольга Лесная']);

  // Her answer on the request Olga works reaches Olga wherever she is, and leads to it.
  await d.dv.deliver(reply());
  const note = page.getByTestId('note').filter({ hasText: `Клиент ответил по заявке ${req.number}` });
  t.match(await note.textContent(), /Прикладываю журнал ошибок/);
  await screenshot(page, '37-customer-answered');
  await note.getByRole('link').click();
  await page.waitForURL(`**/tickets/${req.number}`);
  await page.getByTestId('customer-mails').waitFor();
  // The request says she waits, in «Мои» too, until Olga acts on it.
  t.match(await page.locator('.request-head').getByTestId('customer-waits').textContent(), /^ждёт ответа с \d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  await page.goto(`${d.h.url}/tickets?view=mine`);
  await page.locator(`[data-testid="ticket-row"][data-number="${req.number}"] [data-testid="customer-waits"]`).waitFor();
  await screenshot(page, '38-customer-waits');
  await page.getByTestId('waiting-badge').click();
  await page.waitForURL(/view=mine&waits=1/);
  await page.getByTestId('shown').filter({ hasText: 'Показано 1 из 1' }).waitFor();
  // Where customers wait, at a glance: the open requests filtered to them (all three: e-mailed
  // requests nobody has answered yet), until Olga acts on hers.
  await page.goto(`${d.h.url}/tickets?view=open`);
  const rows = page.getByTestId('ticket-row');
  await waitFor('the open requests', async () => (await rows.count()) === 3);
  await page.getByLabel('Клиент ждёт ответа').check();
  await page.waitForURL(/[?&]waits=1/);
  await page.getByTestId('shown').filter({ hasText: 'Показано 3 из 3' }).waitFor();
  t.equal(await rows.locator('[data-testid="customer-waits"]').count(), 3, 'each says since when');
  await screenshot(page, '39-customers-waiting');
  t.equal((await d.h.request('POST', `/api/tickets/${req.id}/comments`, olga.token, { text: 'Смотрю журнал' })).status, 200);
  await page.locator(`[data-testid="ticket-row"][data-number="${req.number}"]`).waitFor({ state: 'detached' });
  t.equal(await rows.count(), 2, 'answered: off the list; the others still wait');
  await page.getByTestId('waiting-badge').waitFor({ state: 'detached' });
  t.same(errors, []);
});

t.test('an attachment over the size limit is named on the page as not kept, with no link', async (t) => {
  const dv = await startDovecot(t);
  const h = await buildTestApp(t, { connectPbx: false, config: { mailImapUrl: dv.url, mailFrom: MAIL_FROM, mailAttachmentMaxBytes: 50 } });
  await h.app.startIngest();
  await dv.deliver(fixture('new-html-only-cp1251.eml'));
  const row = await waitFor('the request', async () => (await mailRows(h)).find((r) => r.outcome === 'request'));
  const number = (await h.request('GET', `/api/tickets/${row.ticket_id}`, h.adminToken)).body.number;
  const { page, errors } = await openPanel(t, `${h.url}/tickets/${number}`);
  await signIn(page, ADMIN.login, ADMIN.password);
  const attachment = page.getByTestId('mail-attachment');
  t.match(await attachment.textContent(), /^screen\.png 70 Б — не сохранено: больше допустимого размера/);
  t.equal(await attachment.getByRole('link').count(), 0, 'nothing to download');
  t.same(errors, []);
});
