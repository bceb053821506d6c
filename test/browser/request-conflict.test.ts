// Two people on one request's page, in two browsers: the one whose save comes second sees the
// other's change as a conflict, and nothing either typed is lost.
import t from 'tap';
import { answeredDraft, openPanel, signIn } from '../helpers/browser';

t.test('two browsers on one request: a stale save shows the other’s change and keeps what was typed', async (t) => {
  const { app, me, page, errors, agents } = await answeredDraft(t, [['ivanova', '101'], ['boss', '199', 'supervisor']]);
  await page.getByTestId('description').fill('Не открывается отчёт');
  await page.getByTestId('register').click();
  const number = (await page.getByTestId('ticket-number').textContent())!;
  await page.goto(`${app.url}/tickets/${number}`);
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();

  const boss = await openPanel(t, `${app.url}/tickets/${number}`);
  await signIn(boss.page, 'boss', agents.boss.password);
  await boss.page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();

  // The agent's save is held back while the supervisor's goes through.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/tickets/*', async (route) => {
    if (route.request().method() === 'PATCH') await held;
    await route.fallback();
  });
  await page.getByTestId('description').fill('Не открывается отчёт о продажах');
  await boss.page.getByTestId('description').fill('Отчёт открывается, но пустой');
  await boss.page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
  release();

  const conflict = page.getByTestId('conflict');
  await conflict.waitFor();
  t.match(await conflict.textContent(), /Отчёт открывается, но пустой/, 'the other’s change is shown');
  t.equal(await page.getByTestId('description').inputValue(), 'Не открывается отчёт о продажах', 'what the agent typed stays');
  const id = (await app.request('GET', `/api/tickets?number=${number}`, me.token)).body.items[0].id;
  t.equal((await app.request('GET', `/api/tickets/${id}`, me.token)).body.description, 'Отчёт открывается, но пустой', 'nothing overwritten meanwhile');
  await page.unroute('**/api/tickets/*');
  await conflict.getByRole('button', { name: 'Оставить мой текст' }).click();
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
  t.equal((await app.request('GET', `/api/tickets/${id}`, me.token)).body.description, 'Не открывается отчёт о продажах', 'kept by the agent’s choice');
  // The supervisor's page follows.
  await boss.page.waitForFunction(() => (document.querySelector('[data-testid="description"]') as HTMLTextAreaElement | null)?.value === 'Не открывается отчёт о продажах');
  // (The held save's 409 is the conflict itself; the browser logs it as a failed load.)
  t.same(errors.filter((e) => !/status of 409/.test(e)), []);
  t.same(boss.errors, []);
});
