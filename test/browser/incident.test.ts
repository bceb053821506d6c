// A surge becomes an incident in a real browser: the supervisor sees the surge on the live board,
// makes an incident of it, lands on its page listing the customers' requests, and once it is
// completed, completes theirs with its solution in one click.
import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { synthesizeCalls } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('surge → «Создать инцидент» → the customers’ requests linked → completed with the incident’s solution', async (t) => {
  const desk = await startDesk(t, [['boss', null, 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  const boss = desk.agents.boss.token;
  // Six customers calling within a minute (recorded calls, fresh numbers).
  await desk.peer.replay(synthesizeCalls({ count: 6, intervalMs: 50, seed: 4, startEpochSec: Math.floor(Date.now() / 1000) }), { speed: 'max' });
  await waitFor('six calls ended', async () => (await desk.app.request('GET', '/api/calls?live=false', boss)).body.items.length === 6);

  const { page, errors } = await openPanel(t, `${desk.app.url}/board`);
  await signIn(page, 'boss', desk.agents.boss.password);
  await page.getByTestId('surge').waitFor();
  t.match(await page.getByTestId('surge').textContent(), /6 звонков с 6 номеров/, 'the surge with its calls and numbers');
  await page.getByTestId('make-incident').click();
  await page.getByLabel('Описание').fill('Клиенты не могут войти в личный кабинет');
  await screenshot(page, '32-surge-incident');
  await page.getByRole('button', { name: /Создать и связать 6 звонков/ }).click();
  await page.getByTestId('incident-children').waitFor();
  t.match(await page.getByTestId('incident-children').locator('h2').textContent(), /\(6\)/, 'every caller’s request is the incident’s');
  const incidentNumber = await page.getByTestId('request-number').textContent();

  // Two customers' requests get registered; the incident is solved.
  const incident = (await desk.app.request('GET', `/api/tickets?number=${incidentNumber}`, boss)).body.items[0];
  const children = (await desk.app.request('GET', `/api/tickets?parentId=${incident.id}`, boss)).body.items;
  for (const c of children.slice(0, 2)) {
    const fresh = (await desk.app.request('GET', `/api/tickets/${c.id}`, boss)).body;
    await desk.app.request('PATCH', `/api/tickets/${c.id}`, boss, { version: fresh.version, description: 'Не входит в кабинет' });
    t.equal((await desk.app.request('POST', `/api/tickets/${c.id}/transitions`, boss, { to: 'registered' })).status, 200);
  }
  for (const to of [{ to: 'in_progress' }, { to: 'completed', solution: 'Перезапущен сервер авторизации' }]) {
    t.equal((await desk.app.request('POST', `/api/tickets/${incident.id}/transitions`, boss, to)).status, 200);
  }
  await page.reload();
  await page.getByTestId('complete-children').click();
  await page.getByText('Завершено заявок: 2; черновиков ждут регистрации: 4').waitFor();
  const done = (await desk.app.request('GET', `/api/tickets/${children[0].id}`, boss)).body;
  t.match(done, { status: 'completed', solution: 'Перезапущен сервер авторизации' }, 'the customer’s request completed with the incident’s solution');
  t.same(errors, []);
});
