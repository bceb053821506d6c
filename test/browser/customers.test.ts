// Customers in the browser: an unknown caller becomes a contact from the draft in one step, the
// caller card names them from then on, and the directory pages show their people and requests.
import t from 'tap';
import { answeredDraft, cutScenario, dialTo, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('an unknown caller becomes a contact from the draft in one step; the card names them after; the directory shows them', async (t) => {
  const { app, me, page, errors, ticketId } = await answeredDraft(t, [['ivanova', '101']]);
  const card = page.getByTestId('ticket-panel').getByTestId('customer-card');
  await card.getByText('Клиент не указан').waitFor();
  await card.getByLabel('Новый клиент: имя').fill('Анна Смирнова');
  await card.getByLabel('Организация').fill('ООО Ромашка');
  await card.getByRole('button', { name: 'Создать клиента' }).click();
  await card.getByTestId('customer').getByText('Анна Смирнова').waitFor();
  await screenshot(page, '26-customer-from-draft');
  const stored = (await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body;
  t.match(stored.customer, { name: 'Анна Смирнова', organisationName: 'ООО Ромашка' }, 'the draft names its customer');
  const contact = (await app.request('GET', `/api/contacts/${stored.customer.contactId}`, me.token)).body;
  t.same(contact.phones, [stored.callerNumber], 'with the caller’s number');

  // After a reload the caller card names the caller by the number.
  await page.reload();
  await page.getByTestId('caller-names').getByText('Анна Смирнова · ООО Ромашка').first().waitFor();

  await page.getByTestId('nav-contacts').click();
  await page.locator('#contact-search').fill('ромашка');
  await page.keyboard.press('Enter');
  await page.getByTestId('contact-row').getByRole('link', { name: 'Анна Смирнова' }).click();
  await page.getByTestId('contact-page').waitFor();
  await page.getByTestId('customer-requests').locator('li').first().waitFor();
  await page.getByRole('link', { name: 'ООО Ромашка' }).first().click();
  await page.getByTestId('organisation-page').getByText('Анна Смирнова').waitFor();
  t.same(errors, []);
});

t.test('the ringing pop-up names everyone with the caller’s number and their organisation', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const [ringing] = cutScenario('S1-answered', dialTo('101'));
  const org = (await desk.app.request('POST', '/api/organisations', desk.app.adminToken, { name: 'ООО Ромашка' })).body;
  // The recorded call's number (as calls store it), on two people of one office.
  const number = '+79111234567';
  for (const name of ['Анна Смирнова', 'Олег Смирнов']) {
    t.equal((await desk.app.request('POST', '/api/contacts', desk.app.adminToken, { name, phones: [number], organisationId: org.id })).status, 201);
  }
  const { page, errors } = await openPanel(t, desk.app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  await desk.peer.replay(ringing);
  const ring = page.getByTestId('ring');
  t.equal(await ring.getByTestId('ring-number').textContent(), '+7 (911) 123-45-67', 'the pop-up is for that number');
  const names = ring.getByTestId('caller-names');
  await names.getByText('Анна Смирнова · ООО Ромашка').waitFor();
  await names.getByText('Олег Смирнов · ООО Ромашка').waitFor();
  t.pass('both people on the line are named, with their organisation');
  t.same(errors, []);
});

t.test('«Новая заявка» from a visitor not in the directory makes them a customer with the request', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { page, errors } = await openPanel(t, `${desk.app.url}/tickets/new`);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  await page.getByTestId('new-request').waitFor();
  await page.getByLabel('Канал').selectOption('in_person');
  await page.getByLabel('Телефон клиента').fill('+7 812 555-01-02');
  await page.getByLabel('Новый клиент: имя').fill('Пётр Иванов');
  await page.getByLabel('Организация').fill('ИП Иванов');
  await page.getByLabel(/Описание проблемы/).fill('Пришёл лично: не ставится обновление');
  await page.getByTestId('register').click();
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  await page.getByTestId('customer').getByText('Пётр Иванов').waitFor();
  const number = new URL(page.url()).pathname.split('/').pop();
  const stored = (await desk.app.request('GET', `/api/tickets?number=${number}`, desk.agents.ivanova.token)).body.items[0];
  t.match(stored, { channel: 'in_person', callerNumber: '+78125550102', customer: { name: 'Пётр Иванов', organisationName: 'ИП Иванов' } });
  const contact = (await desk.app.request('GET', `/api/contacts/${stored.customer.contactId}`, desk.agents.ivanova.token)).body;
  t.same(contact.phones, ['+78125550102'], 'with the number given');
  t.same(errors, []);
});

t.test('a slow answer to an earlier contact search never replaces the later search’s results', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  for (const name of ['Анна Смирнова', 'Борис Кузнецов']) {
    t.equal((await desk.app.request('POST', '/api/contacts', desk.app.adminToken, { name, phones: [] })).status, 201);
  }
  const { page, errors } = await openPanel(t, `${desk.app.url}/contacts`);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  await page.getByTestId('contacts-page').waitFor();
  // The first search's answer is held on the way back until the second search has been shown.
  let releaseFirst!: () => Promise<void>;
  const firstHeld = new Promise<void>((held) =>
    page.route(/\/api\/contacts\?.*q=%D1%81%D0%BC%D0%B8%D1%80/, async (route) => {
      const answer = await route.fetch();
      releaseFirst = () => route.fulfill({ response: answer });
      held();
    }),
  );
  await page.locator('#contact-search').fill('смирнова');
  await page.keyboard.press('Enter');
  await firstHeld;
  await page.locator('#contact-search').fill('кузнецов');
  await page.keyboard.press('Enter');
  await page.getByTestId('contact-row').getByText('Борис Кузнецов').waitFor();
  const late = page.waitForEvent('requestfinished', (r) => r.url().includes('q=%D1%81%D0%BC%D0%B8%D1%80'));
  await releaseFirst();
  await late;
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  const rows = await page.getByTestId('contact-row').allTextContents();
  t.equal(rows.length, 1, 'one row');
  t.match(rows[0], /Борис Кузнецов/, 'the later search’s result, still');
  t.same(errors, []);
});

t.test('moving from one contact to another, a late answer for the first never fills the second’s form', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const ids: string[] = [];
  for (const name of ['Анна Смирнова', 'Борис Кузнецов']) {
    const made = await desk.app.request('POST', '/api/contacts', desk.app.adminToken, { name, phones: [] });
    t.equal(made.status, 201);
    ids.push(made.body.id);
  }
  const [anna, boris] = ids;
  const { page, errors } = await openPanel(t, `${desk.app.url}/contacts`);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  await page.getByTestId('contacts-page').waitFor();
  // Anna's page is asked for, and its answer held on the way back while the agent moves on to Boris.
  let releaseAnna!: () => Promise<void>;
  const annaHeld = new Promise<void>((held) =>
    page.route(`**/api/contacts/${anna}`, async (route) => {
      const answer = await route.fetch();
      releaseAnna = () => route.fulfill({ response: answer });
      held();
    }),
  );
  const go = (id: string) => page.evaluate(`history.pushState(null, '', '/contacts/${id}'); dispatchEvent(new PopStateEvent('popstate'))`);
  await go(anna);
  await annaHeld;
  await go(boris);
  await page.getByTestId('contact-page').getByRole('heading', { name: 'Борис Кузнецов' }).waitFor();
  const late = page.waitForEvent('requestfinished', (r) => r.url().endsWith(`/api/contacts/${anna}`));
  await releaseAnna();
  await late;
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  t.equal(await page.getByTestId('contact-page').getByRole('heading', { level: 1 }).textContent(), 'Борис Кузнецов', 'Boris’s page');
  t.equal(await page.locator('#c-name').inputValue(), 'Борис Кузнецов', 'Boris’s name in the form a save would send');
  t.same(errors, []);
});
