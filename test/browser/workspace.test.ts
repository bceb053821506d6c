// After the call: the agent finds the request again in «Заявки», works it on its own page with only
// the actions legal now, and the page survives reloads, the back button and a sign-in from a link.
import t from 'tap';
import { answeredDraft, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

const shown = async (page: import('playwright-core').Page, testid: string) => (await page.getByTestId(testid).count()) > 0;

t.test('an agent finds a registered request in «Мои» and works it on its page to the customer’s confirmation', async (t) => {
  const { app, me, page, errors, agents } = await answeredDraft(t, [['ivanova', '101'], ['boss', '199', 'supervisor']]);
  await page.getByTestId('description').fill('Склад не открывается после обновления, ошибка ORA-01017');
  await page.getByTestId('register').click();
  const number = (await page.getByTestId('ticket-number').textContent())!;

  await page.getByTestId('nav-tickets').click();
  await page.waitForURL(/\/tickets\?view=mine|\/tickets$/);
  const row = page.locator(`[data-testid="ticket-row"][data-number="${number}"]`);
  await row.waitFor();
  t.match(await page.getByTestId('shown').textContent(), /Показано 1 из 1/, 'how many there are');
  await screenshot(page, '21-request-list');
  await row.getByRole('link', { name: number }).click();
  await page.waitForURL(`**/tickets/${number}`);
  const pageEl = page.getByTestId('request-page');
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  t.equal(await page.getByTestId('request-number').textContent(), number);
  t.ok(await shown(page, 'a-start'), 'a registered request can be taken into work');
  t.notOk(await shown(page, 'a-complete'), 'but not completed before it is worked');
  t.notOk(await shown(page, 'a-assign'), 'agents do not assign');

  await page.getByTestId('a-start').click();
  await page.locator('[data-testid="request-page"][data-status="in_progress"]').waitFor();
  await page.getByTestId('a-comment').click();
  await page.getByLabel('Комментарий', { exact: true }).fill('Перезвонил клиенту, проверяем пароль схемы');
  await page.getByTestId('action-send').click();
  await page.getByTestId('journal').getByText('Перезвонил клиенту').waitFor();

  await page.getByTestId('a-complete').click();
  await page.getByLabel('Решение').fill('Сброшен пароль пользователя склада');
  await page.getByTestId('action-send').click();
  await page.locator('[data-testid="request-page"][data-status="completed"]').waitFor();
  t.match(await pageEl.textContent(), /закроется сама \d\d\.\d\d\.\d{4}/, 'when it closes by itself (R10)');
  t.match(await page.getByTestId('request-call').first().textContent(), /доб\. 101: звонок .*ответ .*звонил \d+:\d\d · разговор \d+:\d\d/, 'the call’s timeline: who rang, answered, for how long');
  await screenshot(page, '22-request-page');

  // Reload-safe and bookmarkable: the same page comes back, signed in.
  await page.reload();
  await page.locator('[data-testid="request-page"][data-status="completed"]').waitFor();
  await page.getByTestId('a-confirm').click();
  await page.locator('[data-testid="request-page"][data-status="closed"]').waitFor();
  t.notOk(await shown(page, 'a-confirm'), 'a closed request offers no status change');
  const kinds = await page.getByTestId('journal').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')));
  t.ok(['registered', 'comment', 'solution', 'customer_decision'].every((k) => kinds.includes(k)), `the journal shows each step (${kinds.join(', ')})`);

  // The back button goes to the list; the closed request is under «Закрытые».
  await page.goBack();
  await page.waitForURL(/\/tickets(\?|$)/);
  await page.getByRole('link', { name: 'Закрытые' }).click();
  await page.locator(`[data-testid="ticket-row"][data-number="${number}"][data-status="closed"]`).waitFor();

  const stored = (await app.request('GET', `/api/tickets/${(await app.request('GET', `/api/tickets?number=${number}`, me.token)).body.items[0].id}`, agents.boss.token)).body;
  t.equal(stored.status, 'closed');
  t.equal(stored.closeReason, 'confirmed');
  t.ok(stored.actions.includes('comment') && !stored.actions.includes('start'), 'the API says what is possible now, for whoever asks');
  t.same(errors, []);
});

t.test('search finds by a word in another form and by an error code; / focuses it; a link opened signed out lands on the request after sign-in', async (t) => {
  const { app, me, page, errors } = await answeredDraft(t, [['ivanova', '101']]);
  await page.getByTestId('description').fill('Не печатаются накладные со склада, код ORA-01017 в журнале');
  await page.getByTestId('register').click();
  const number = (await page.getByTestId('ticket-number').textContent())!;

  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('ticket-list').waitFor();
  await page.keyboard.press('/');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'ticket-search', '/ puts the cursor in the search');
  for (const q of ['накладная', 'ORA-01017', number]) {
    await page.locator('#ticket-search').fill(q);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === q);
    await page.locator(`[data-testid="ticket-row"][data-number="${number}"]`).waitFor();
    t.pass(`«${q}» finds ${number}`);
  }
  await page.locator('#ticket-search').fill('холодильник');
  await page.keyboard.press('Enter');
  await page.getByTestId('no-tickets').waitFor();

  const other = await openPanel(t, `${app.url}/tickets/${number}`);
  await signIn(other.page, 'ivanova', me.password);
  await other.page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  t.equal(new URL(other.page.url()).pathname, `/tickets/${number}`, 'still on the link after sign-in');
  t.same(errors, []);
  t.same(other.errors, []);
});

t.test('«Новая заявка»: a request from an e-mail is registered with its channel; a supervisor records the fixing release and the list finds it by it', async (t) => {
  const { app, page, errors } = await (async () => {
    const d = await startDesk(t, [['boss', '199', 'supervisor']]);
    const view = await openPanel(t, `${d.app.url}/tickets`);
    await signIn(view.page, 'boss', d.agents.boss.password);
    return { ...d, ...view };
  })();
  const anna = await app.request('POST', '/api/contacts', app.adminToken, { name: 'Анна Смирнова', phones: ['+79219416004'] });
  t.equal(anna.status, 201);
  await page.getByTestId('new-request-link').click();
  await page.waitForURL('**/tickets/new');
  await page.getByLabel('Канал').selectOption('email');
  // The customer from the directory, found by the number as she said it; her number comes along.
  await page.getByLabel('Найти клиента').fill('8 921 941-60-04');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Это он' }).click();
  await page.getByTestId('new-request-customer').getByText('Анна Смирнова').waitFor();
  t.equal(await page.getByLabel('Телефон клиента').inputValue(), '+79219416004');
  await page.getByLabel('Тема').fill('Отчёт по остаткам пустой');
  await page.getByLabel(/Описание проблемы/).fill('После обновления отчёт по остаткам ничего не показывает');
  await page.getByLabel('Версия у клиента').fill('5.2.1');
  await screenshot(page, '23-new-request');
  await page.getByTestId('register').click();
  await page.waitForURL(/\/tickets\/\d{4}-\d{6}$/);
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  const number = new URL(page.url()).pathname.split('/').pop()!;

  await page.getByTestId('fixedIn').fill('5.3.0');
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
  const stored = (await app.request('GET', `/api/tickets?number=${number}`, app.adminToken)).body.items[0];
  t.equal(stored.channel, 'email');
  t.equal(stored.callerNumber, '+79219416004', 'the number as calls store it');
  t.equal(stored.customer.name, 'Анна Смирнова', 'and the customer');
  t.equal(stored.productVersion, '5.2.1');
  t.equal(stored.fixedIn, '5.3.0', 'autosaved');

  // From the customer's page to their requests in the list, narrowed further by status.
  await page.goto(`${app.url}/contacts/${anna.body.id}`);
  await page.getByTestId('all-their-requests').click();
  await page.getByTestId('whose').getByText('Клиент: Анна Смирнова').waitFor();
  await page.locator(`[data-testid="ticket-row"][data-number="${number}"]`).waitFor();
  await page.getByLabel('Статус').selectOption('in_progress');
  await page.getByTestId('no-tickets').waitFor();
  await page.getByLabel('Статус').selectOption('registered');
  await page.locator(`[data-testid="ticket-row"][data-number="${number}"]`).waitFor();

  await page.goto(`${app.url}/tickets?view=open&fixedIn=5.3.0&channel=email`);
  await page.locator(`[data-testid="ticket-row"][data-number="${number}"]`).waitFor();
  await page.goto(`${app.url}/tickets?view=open&fixedIn=5.4.0`);
  await page.getByTestId('no-tickets').waitFor();
  t.same(errors, []);
});

t.test('«Мои» follows live: a request registered elsewhere appears without a reload, one closed elsewhere leaves', async (t) => {
  const { app, me, page, errors } = await answeredDraft(t, [['ivanova', '101']]);
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('no-tickets').waitFor();
  const made = await app.request('POST', '/api/tickets', me.token, { description: 'Из другой вкладки', register: true, channel: 'email' });
  t.equal(made.status, 201);
  const row = page.locator(`[data-testid="ticket-row"][data-number="${made.body.number}"]`);
  await row.waitFor({ timeout: 5000 });
  t.pass('it appears within 5 s');
  await app.request('POST', `/api/tickets/${made.body.id}/transitions`, me.token, { to: 'closed', reason: 'withdrawn' });
  await row.waitFor({ state: 'detached', timeout: 5000 });
  t.pass('and leaves «Мои» once closed');
  t.same(errors, []);
});
