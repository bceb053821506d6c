import t from 'tap';
import { answeredDraft, screenshot } from '../helpers/browser';

t.test('typed text is saved by itself and survives a reload, even one made while the server was unreachable', async (t) => {
  const { app, me, page, errors, panel, ticketId } = await answeredDraft(t, [['ivanova', '101']]);
  const saveState = page.getByTestId('save-state');

  // Saved with no action of the agent's (about a second after the last keystroke; not timed here:
  // test files share the machine).
  await page.getByTestId('description').pressSequentially('Не печатается акт сверки', { delay: 5 });
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor({ timeout: 5000 });
  t.match(await saveState.textContent(), /^Сохранено в \d{2}:\d{2}:\d{2}$/);
  t.equal((await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body.description, 'Не печатается акт сверки');

  // The server cannot be reached: the text is kept in the browser and the agent is told.
  await page.route('**/api/tickets/*', (route) => (route.request().method() === 'PATCH' ? route.abort('connectionrefused') : route.fallback()));
  await page.getByTestId('technical-details').fill('Версия 5.2.1, модуль «Отчёты»');
  await page.locator('[data-testid="save-state"][data-state="offline"]').waitFor({ timeout: 3000 });
  await screenshot(page, '07-offline-kept');
  t.equal((await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body.technicalDetails, '', 'nothing reached the server');

  // A reload (or a closed tab) loses nothing: the text comes back and goes to the server.
  await page.unroute('**/api/tickets/*');
  await page.reload();
  await panel.waitFor();
  t.equal(await page.getByTestId('technical-details').inputValue(), 'Версия 5.2.1, модуль «Отчёты»');
  t.equal(await page.getByTestId('description').inputValue(), 'Не печатается акт сверки');
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor({ timeout: 3000 });
  const stored = (await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body;
  t.equal(stored.technicalDetails, 'Версия 5.2.1, модуль «Отчёты»');
  t.equal(stored.description, 'Не печатается акт сверки');
  // The unsent text may reach the server twice — a keepalive on unload and the restore after the
  // reload — and the second then meets a newer version (409) and merges quietly: not an error.
  t.same(
    errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to fetch|status of 409/.test(e)),
    [],
  );
  t.equal(await page.getByTestId('save-state').getAttribute('data-state'), 'saved', 'no conflict shown for the agent’s own text');
});
