import t from 'tap';
import { answeredDraft, screenshot } from '../helpers/browser';

t.test('a change made elsewhere while the agent types shows a conflict instead of being overwritten', async (t) => {
  const { app, me, page, errors, ticketId, agents } = await answeredDraft(t, [['ivanova', '101'], ['boss', '199', 'supervisor']]);
  await page.getByTestId('description').fill('Не открывается отчёт');
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();

  // The agent's next save is held back while a colleague changes the same field through the API.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/tickets/*', async (route) => {
    if (route.request().method() === 'PATCH') await held;
    await route.fallback();
  });
  await page.getByTestId('description').fill('Не открывается отчёт о продажах за месяц');
  const current = (await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body;
  const theirs = await app.request('PATCH', `/api/tickets/${ticketId}`, agents.boss.token, { version: current.version, description: 'Отчёт открывается, но пустой' });
  t.equal(theirs.status, 200);
  release();

  const conflict = page.getByTestId('conflict');
  await conflict.waitFor();
  t.match(await conflict.textContent(), /Отчёт открывается, но пустой/, 'their version is shown');
  t.equal(await page.getByTestId('description').inputValue(), 'Не открывается отчёт о продажах за месяц', 'the agent’s text stays in the form');
  t.equal((await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body.description, 'Отчёт открывается, но пустой', 'nothing was overwritten');
  await screenshot(page, '13-conflict');

  await page.unroute('**/api/tickets/*');
  await conflict.getByRole('button', { name: 'Оставить мой текст' }).click();
  await conflict.waitFor({ state: 'detached' });
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
  t.equal((await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body.description, 'Не открывается отчёт о продажах за месяц', 'kept by the agent’s choice');
  t.same(errors, []);
});
