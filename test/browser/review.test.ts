// The review queue in a real browser: a supervisor sees why an item is there, opens its request,
// and resolves it with a note; it leaves the list and the request's journal tells.
import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('a supervisor resolves a thin description with a note; the item leaves and the journal has it', async (t) => {
  const desk = await startDesk(t, [['boss', null, 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  const boss = desk.agents.boss.token;
  // A call whose gap the service noticed would be an item too; here: two requests with short descriptions.
  await desk.peer.replay(loadScenario('S1-answered'));
  const thin = await desk.app.request('POST', '/api/tickets', desk.agents.ivanova.token, { subject: 'Ошибка', description: 'не входит', register: true });
  t.equal(thin.status, 201);
  const other = await desk.app.request('POST', '/api/tickets', desk.agents.ivanova.token, { subject: 'Отчёт', description: 'пусто', register: true });
  t.equal(other.status, 201);
  // The customer of the first wrote a month ago and nobody has answered.
  await desk.app.app.ds.query(`UPDATE ticket SET customer_wrote_at = now() - interval '30 days' WHERE id = $1`, [thin.body.id]);
  await waitFor('three items', async () => (await desk.app.request('GET', '/api/review', boss)).body.items.length >= 3);

  const { page, errors } = await openPanel(t, `${desk.app.url}/review`);
  await signIn(page, 'boss', desk.agents.boss.password);
  const items = page.locator('[data-testid="review-item"][data-kind="thin_description"]');
  await waitFor('both items shown', async () => (await items.count()) === 2);
  t.match(await items.first().textContent(), /Слишком короткое описание · описание: \d+ симв\./, 'why it is there');
  const waiting = page.locator('[data-testid="review-item"][data-kind="customer_unanswered"]');
  t.match(await waiting.textContent(), new RegExp(`Клиент ждёт ответа · написал \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d.*${thin.body.number}`), 'a customer without an answer, since when');
  await screenshot(page, '31-review');

  const item = items.filter({ hasText: thin.body.number });
  await item.getByRole('button', { name: 'Разобрано' }).click();
  await item.getByLabel('Что сделано').fill('Позвонили клиенту, описание дополнено');
  await item.getByRole('button', { name: 'Разобрано' }).click();
  await waitFor('the item left', async () => (await items.count()) === 1);
  t.match(await items.first().textContent(), new RegExp(other.body.number), 'the other one stays');
  const journal = (await desk.app.request('GET', `/api/tickets/${thin.body.id}`, boss)).body.journal;
  t.ok(journal.some((e: any) => e.kind === 'comment' && /Позвонили клиенту/.test(e.data.text)), 'the note is on the request');

  // Fixing the cause takes an item off by itself.
  const fresh = (await desk.app.request('GET', `/api/tickets/${other.body.id}`, boss)).body;
  await desk.app.request('PATCH', `/api/tickets/${other.body.id}`, desk.agents.ivanova.token, { version: fresh.version, description: 'Отчёт за ноябрь пустой после обновления до 5.2' });
  await waitFor('the fixed one left without a reload', async () => (await items.count()) === 0, 10_000);
  t.same(errors, []);
});
