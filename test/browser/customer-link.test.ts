// The e-mail channel in Chromium: an agent answers the customer from the request page («Ответить
// клиенту») and the mail goes out; the customer opens the link of the completion notice — the page
// shows the request and its solution without changing it, the form confirms, and a second decision
// (from a page opened before) is refused.
import t from 'tap';
import { openPanel, screenshot, signIn } from '../helpers/browser';
import { waitFor } from '../helpers/wait';
import { PUBLIC_URL, linksIn, mailingService, requestOf } from '../integration/mail-out/helpers';

t.test('«Ответить клиенту» on the request page mails the customer and journals the reply', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  const { page, errors } = await openPanel(t, `${h.url}/tickets/${req.number}`);
  await signIn(page, 'anna', 'anna-password');
  await page.getByTestId('request-page').waitFor();
  await page.getByTestId('a-reply-customer').click();
  await page.getByLabel('Ответ клиенту (уйдёт письмом)').fill('Переустановите драйвер принтера и перезапустите кассу.');
  await screenshot(page, '33-reply-to-customer');
  await page.getByTestId('action-send').click();
  const mail = await waitFor('the reply to arrive', () => smtp.mails[0]);
  t.equal(mail.subject, `[CD#${req.number}] Не печатает чек`);
  t.match(mail.text, /^Переустановите драйвер принтера/);
  await page.getByText('Ответ клиенту: Переустановите драйвер принтера и перезапустите кассу.').waitFor();
  await page.getByTestId('request-mails').locator('li[data-status="sent"]').getByText('ответ оператора · maria@client.example.org · отправлено').waitFor();
  t.same(errors, []);
});

t.test('the customer’s link: GET shows the request and changes nothing, the form confirms, a second decision is refused', async (t) => {
  const { h, smtp } = await mailingService(t);
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  await h.request('POST', `/api/tickets/${req.id}/transitions`, anna.token, { to: 'completed', solution: 'Обновили драйвер принтера до версии 2.1.\nЧек печатается.' });
  const mail = await waitFor('the completion notice', () => smtp.mails[0]);
  const links = linksIn(mail.text);
  const confirm = links.confirm.replace(PUBLIC_URL, h.url);
  const disagree = links.disagree.replace(PUBLIC_URL, h.url);

  const customer = await openPanel(t, confirm);
  const page = customer.page;
  await page.getByRole('heading', { name: `Обращение ${req.number}` }).waitFor();
  await page.getByText('Обновили драйвер принтера до версии 2.1.').waitFor();
  await screenshot(page, '34-customer-link');
  t.equal((await h.request('GET', `/api/tickets/${req.id}`, anna.token)).body.status, 'completed', 'showing the page changed nothing');

  // The same link opened in another tab before the decision: its forms are there.
  const stale = await customer.context.newPage();
  await stale.goto(disagree);
  await stale.getByLabel(/Опишите, что не так/).fill('Нет, всё ещё не печатает');

  await page.getByRole('button', { name: 'Да, вопрос решён' }).click();
  await page.getByText('Вы подтвердили, что вопрос решён. Обращение закрыто.').waitFor();
  const closed = (await h.request('GET', `/api/tickets/${req.id}`, anna.token)).body;
  t.equal(closed.status, 'closed');
  t.equal(closed.closeReason, 'confirmed');

  await stale.getByRole('button', { name: 'Не согласен с решением' }).click();
  await stale.getByText('Решение по этой ссылке уже принято').waitFor();
  t.equal((await h.request('GET', `/api/tickets/${req.id}`, anna.token)).body.status, 'closed', 'the second decision changed nothing');
  t.same(customer.errors, []);

  // The agent sees the customer's own decision in the journal.
  const agent = await openPanel(t, `${h.url}/tickets/${req.number}`);
  await signIn(agent.page, 'anna', 'anna-password');
  const entry = agent.page.getByTestId('journal').locator('li[data-kind="customer_decision"]');
  await entry.getByText('Решение клиента: подтвердил (по ссылке из письма)').waitFor();
  t.match(await entry.textContent(), /· клиент/, 'made by the customer');
  t.notMatch(await entry.textContent(), /система/);
});
