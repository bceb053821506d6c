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
  // A customer who wrote by mail at 09:00 and waits for an answer: the board says so within its refresh.
  const req = await desk.app.request('POST', '/api/tickets', desk.agents.boss.token, { subject: 'Вопрос', description: 'Клиент спрашивает по почте', register: true });
  await desk.app.app.ds.query(`UPDATE ticket SET customer_wrote_at = '2026-12-07T09:00:00+03:00' WHERE id = $1`, [req.body.id]);
  await page.getByTestId('tile-customers-waiting').filter({ hasText: /^1Ждут ответа по заявкамдольше всех — с 07\.12\.2026 09:00$/ }).waitFor({ timeout: 10_000 });

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

t.test('with two PBXs the board has a row per PBX: which one is down, and which PBX the waiting caller is on', async (t) => {
  const desk = await startDesk(t, [['boss', null, 'supervisor'], ['ivanova', '101']], {}, 2);
  const [main, second] = desk.peers;
  const { page, errors } = await openPanel(t, `${desk.app.url}/board`);
  await signIn(page, 'boss', desk.agents.boss.password);
  const pbxRow = (id: string) => page.getByTestId(`pbx-${id}`);
  await waitFor('both PBXs connected', async () => (await pbxRow('main').getAttribute('data-connected')) === 'true' && (await pbxRow('pbx2').getAttribute('data-connected')) === 'true');

  const [ringing, rest] = cutScenario('S1-answered', dialTo('101'));
  await second.replay(ringing);
  await waitFor('the caller waiting, on pbx2', async () => (await page.getByTestId('waiting').locator('tr[data-pbx="pbx2"]').count()) === 1);
  t.match(await page.getByTestId('waiting').locator('tr[data-pbx="pbx2"]').textContent(), /\+7 \(911\) 123-45-67.*pbx2/, 'the waiting row names its PBX');
  t.equal(await pbxRow('pbx2').getByTestId('pbx-live').textContent(), '1', 'pbx2: one call now');
  t.equal(await pbxRow('main').getByTestId('pbx-live').textContent(), '0', 'main: none');

  await main.close();
  await waitFor('main shown down', async () => (await pbxRow('main').getAttribute('data-connected')) === 'false', 15_000);
  t.match(await pbxRow('main').textContent(), /нет связи/, 'main: no connection, in words');
  t.equal(await pbxRow('pbx2').getAttribute('data-connected'), 'true', 'pbx2 still connected');
  await screenshot(page, '30-board-two-pbx');

  await second.replay(rest);
  await waitFor("pbx2's call counted as answered", async () => (await pbxRow('pbx2').getByTestId('pbx-answered').textContent()) === '1');
  t.equal(await pbxRow('main').getByTestId('pbx-calls').textContent(), '0', 'main took no call today');
  t.same(errors, []);
});

t.test('with one PBX the board has no PBX section (the top bar says whether it is connected)', async (t) => {
  const desk = await startDesk(t, [['boss', null, 'supervisor']]);
  const { page } = await openPanel(t, `${desk.app.url}/board`);
  await signIn(page, 'boss', desk.agents.boss.password);
  await page.getByTestId('tile-calls').waitFor();
  t.equal(await page.getByTestId('pbx-table').count(), 0, 'no PBX table');
});
