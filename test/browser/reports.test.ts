// `/reports` for a supervisor: the period's calls and requests as charts (uPlot canvases) and the
// same figures as tables; the step (hour, day…) kept in the address.
import t from 'tap';
import { countFrames, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const cells = async (row: import('playwright-core').Locator) => (await row.locator('th, td').allTextContents()).map((s) => s.trim());

t.test('a supervisor sees the week’s calls and requests as charts and tables, and changes the step', async (t) => {
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  await desk.peer.replay(loadScenario('S1-answered'));
  await desk.peer.replay(loadScenario('S3-missed'));
  await waitFor('both calls stored, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls', desk.agents.boss.token);
    return r.body.items.length >= 2 && r.body.items.every((c: any) => c.endedAt);
  });
  const made = await desk.app.request('POST', '/api/tickets', desk.agents.ivanova.token, { description: 'Не печатает принтер', register: true });
  t.equal(made.status, 201);

  const { page, errors } = await openPanel(t, `${desk.app.url}/`);
  await signIn(page, 'boss', desk.agents.boss.password);
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('reports').waitFor();
  await page.getByTestId('chart-calls').locator('canvas').waitFor();
  t.pass('the calls chart is drawn');

  const calls = page.getByTestId('table-calls');
  t.equal(await calls.locator('tbody tr').count(), 7, 'seven days, one row each');
  t.same(await cells(calls.locator('tfoot tr')), ['Итого', '2', '1', '1', '1', '1'], 'two calls: one answered, one missed (its caller gave up while it rang — within 5 s at the replay’s full speed: a short abandon)');
  t.same((await cells(calls.locator('tbody tr').last())).slice(1), ['2', '1', '1', '1', '1'], 'all of them today');
  const agents = page.getByTestId('table-agents');
  t.same((await cells(agents.locator('tr', { hasText: 'ivanova' }))).filter((_, i) => [1, 4, 5].includes(i)), ['1', '2', '1'], 'ivanova answered one, was rung for both, missed one');

  await page.getByTestId('chart-tickets').locator('canvas').waitFor();
  const tickets = page.getByTestId('table-tickets');
  const total = await cells(tickets.locator('tfoot tr'));
  t.same(total.slice(0, 3), ['Итого', '3', '1'], 'three requests created (two drafts from the calls), one registered');
  t.equal(await page.getByTestId('table-backlog').locator('tbody tr').last().locator('td').textContent(), '1', 'one open at the end of today');
  await screenshot(page, '28-reports');

  const dailyUnderHourly = await countFrames(page, `location.search.includes('groupBy=hour') && document.querySelectorAll('[data-testid="table-calls"] tbody tr').length === 7`);
  await page.getByLabel('Шаг').selectOption('hour');
  await page.waitForURL(/groupBy=hour/);
  await waitFor('hourly rows', async () => (await calls.locator('tbody tr').count()) === 7 * 24);
  t.pass('hour by hour: 168 rows for the week');
  t.equal(await dailyUnderHourly(), 0, 'no frame showed the daily figures under the hourly step');
  t.same(await cells(calls.locator('tfoot tr')), ['Итого', '2', '1', '1', '1', '1'], 'the same totals');
  t.same(errors, []);
});
