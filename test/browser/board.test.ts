// The supervisor's live board in a real browser: presence, the waiting caller and today's tiles
// change as a recorded call rings, is answered and ends — without reloading the page.
import t from 'tap';
import { cutScenario, dialTo, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('the live board follows a call: the caller waits, the agent rings, then talks; the tiles count it', async (t) => {
  const desk = await startDesk(t, [['boss', null, 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  // A missed call earlier today: a call back is due.
  await desk.peer.replay(loadScenario('S3-missed'));
  await waitFor('the missed call stored', async () => (await desk.app.request('GET', '/api/calls?outcome=missed', desk.agents.boss.token)).body.items.length === 1);
  const agentTab = await openPanel(t, `${desk.app.url}/`);
  await signIn(agentTab.page, 'ivanova', desk.agents.ivanova.password);

  const { page, errors } = await openPanel(t, `${desk.app.url}/board`);
  await signIn(page, 'boss', desk.agents.boss.password);
  const row = (ext: string) => page.getByTestId(`agent-${ext}`);
  await waitFor('ivanova available', async () => (await row('101').getAttribute('data-presence')) === 'available');
  t.equal(await row('102').getAttribute('data-presence'), 'offline', 'an agent without the panel open is offline');
  await waitFor('the missed call in the tiles', async () => (await page.getByTestId('tile-missed').locator('.tile-value').textContent()) === '1');
  t.match(await page.getByTestId('tile-callbacks').textContent(), /^1/, 'a call back due');

  const [ringing, rest] = cutScenario('S1-answered', dialTo('101'));
  await desk.peer.replay(ringing);
  await waitFor('ivanova ringing', async () => (await row('101').getAttribute('data-presence')) === 'ringing');
  await page.getByTestId('waiting').getByText('+7 (911) 123-45-67').waitFor();
  t.pass('the caller waits on the board');
  await screenshot(page, '30-board');

  await desk.peer.replay(rest);
  await waitFor('the answered call counted', async () => (await page.getByTestId('tile-answered').locator('.tile-value').textContent()) === '1');
  t.equal(await row('101').getAttribute('data-presence'), 'available', 'after the hang-up, available again');
  t.equal(await page.getByTestId('waiting').count(), 0, 'nobody waits');
  t.same(errors, []);
});

t.test('an agent has no board: the link is not shown and the page says so', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { page } = await openPanel(t, `${desk.app.url}/`);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  await page.getByTestId('nav-tickets').waitFor();
  t.equal(await page.getByTestId('nav-board').count(), 0, 'no board link for an agent');
  await page.goto(`${desk.app.url}/board`);
  await page.getByTestId('supervisors-only').waitFor();
  t.pass('the address typed in says the board is for supervisors');
});
