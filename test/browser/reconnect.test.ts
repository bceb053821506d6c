import t from 'tap';
import { answeredBy, cutScenario, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('the panel says when the server or the PBX is unreachable and comes back by itself with its work', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { app, peer } = desk;
  const { page } = await openPanel(t, app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  const [answered] = cutScenario('S1-answered', answeredBy('101'));
  await peer.replay(answered);
  await page.getByTestId('ticket-panel').waitFor();
  await page.getByTestId('description').fill('Текст до обрыва связи');

  // The server drops every socket: a banner, then a new connection and a fresh snapshot.
  const sockets = app.app.http.websocketServer.clients;
  t.ok(sockets.size > 0);
  for (const s of sockets) s.terminate();
  await page.getByTestId('disconnected').waitFor();
  await screenshot(page, '15-disconnected');
  await page.getByTestId('disconnected').waitFor({ state: 'detached' });
  t.equal(await page.getByTestId('description').inputValue(), 'Текст до обрыва связи', 'the work is still there');
  t.equal(await page.getByTestId('case-number').textContent(), '+7 (911) 123-45-67');

  // The PBX goes away and comes back.
  await peer.close();
  await page.getByTestId('pbx-status').filter({ hasText: 'АТС: нет связи' }).waitFor();
  await screenshot(page, '16-pbx-down');
  await peer.listen();
  await page.getByTestId('pbx-status').filter({ hasText: 'АТС: связь есть' }).waitFor({ timeout: 20_000 });
  t.pass('the PBX state follows the connection');
});
