// A supervisor on a request's page: assigns it to a colleague, who sees it in «Мои», and closes
// another as a duplicate — buttons an agent does not get.
import t from 'tap';
import { openPanel, signIn, startDesk } from '../helpers/browser';

t.test('a supervisor assigns a request to a colleague and closes another as a duplicate', async (t) => {
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['petrov', '102'], ['ivanova', '101']]);
  const { app, agents } = desk;
  const make = async (description: string) => (await app.request('POST', '/api/tickets', agents.ivanova.token, { description, register: true, channel: 'other' })).body;
  const first = await make('Не работает обмен с банком');
  const second = await make('Обмен с банком не работает, второй раз');

  const { page, errors } = await openPanel(t, `${app.url}/tickets/${first.number}`);
  await signIn(page, 'boss', agents.boss.password);
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  await page.getByLabel('Кому').selectOption({ label: 'petrov' });
  await page.getByTestId('a-assign').click();
  await page.getByText('Исполнители: petrov').waitFor();
  t.same((await app.request('GET', `/api/tickets/${first.id}`, agents.boss.token)).body.assignees, [agents.petrov.id], 'assigned');
  const mine = await app.request('GET', '/api/tickets?view=mine', agents.petrov.token);
  t.same(mine.body.items.map((i: any) => i.id), [first.id], 'in petrov’s «Мои»');

  // R4: another problem of the same customer, opened from here as a draft and registered on its page.
  await page.getByTestId('a-related').click();
  await page.locator('[data-testid="request-page"][data-status="draft"]').waitFor();
  await page.getByTestId('description').fill('Заодно: не печатается акт сверки');
  await page.getByTestId('register').click();
  await page.waitForURL(/\/tickets\/\d{4}-\d{6}$/);
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  const relatedNumber = new URL(page.url()).pathname.split('/').pop();
  const related = (await app.request('GET', `/api/tickets?number=${relatedNumber}`, agents.boss.token)).body.items[0];
  t.equal(related.parentId, first.id, 'the related request names the first');
  t.equal(related.description, 'Заодно: не печатается акт сверки', 'with what was typed');

  await page.goto(`${app.url}/tickets/${second.number}`);
  await page.locator('[data-testid="request-page"][data-status="registered"]').waitFor();
  await page.getByTestId('a-close-duplicate').click();
  await page.locator('[data-testid="request-page"][data-status="closed"]').waitFor();
  t.equal((await app.request('GET', `/api/tickets/${second.id}`, agents.boss.token)).body.closeReason, 'duplicate');

  // The agent who owns neither sees no such buttons.
  const agentView = await openPanel(t, `${app.url}/tickets/${first.number}`);
  await signIn(agentView.page, 'ivanova', agents.ivanova.password);
  await agentView.page.getByTestId('request-page').waitFor();
  await agentView.page.getByTestId('journal').getByText('Изменено поле «Исполнители»').waitFor();
  t.equal(await agentView.page.getByTestId('a-assign').count(), 0, 'agents do not assign');
  t.equal(await agentView.page.getByTestId('a-close-duplicate').count(), 0, 'nor close others’ requests');
  t.same(errors, []);
  t.same(agentView.errors, []);
});
