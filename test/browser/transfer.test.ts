import t from 'tap';
import { answeredBy, cutScenario, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('a transfer moves the draft, with what was typed, to the new agent’s panel', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['petrov', '102']]);
  const { app, peer } = desk;
  const first = await openPanel(t, app.url);
  const second = await openPanel(t, app.url);
  await signIn(first.page, 'ivanova', desk.agents.ivanova.password);
  await signIn(second.page, 'petrov', desk.agents.petrov.password);

  const [toFirst, toSecond] = cutScenario('S5-transfer', answeredBy('101'), answeredBy('102'));
  await peer.replay(toFirst);
  await first.page.getByTestId('ticket-panel').waitFor();
  await first.page.getByTestId('description').fill('Клиент не может провести накладную');
  // No waiting for the autosave: the transfer itself must not lose the last keystrokes.
  await first.page.getByTestId('technical-details').fill('Код ошибки 0x80004005');
  await peer.replay(toSecond);

  const panel = second.page.getByTestId('ticket-panel');
  await panel.waitFor();
  await second.page.waitForFunction(() => (document.querySelector('[data-testid="technical-details"]') as HTMLTextAreaElement | null)?.value === 'Код ошибки 0x80004005');
  t.equal(await second.page.getByTestId('description').inputValue(), 'Клиент не может провести накладную');
  t.equal(await second.page.getByTestId('case-number').textContent(), '+7 (911) 123-45-67');
  await second.page.getByTestId('note').filter({ hasText: 'переведён звонок' }).waitFor();
  await screenshot(second.page, '11-transferred-in');

  await first.page.getByTestId('ticket-panel').waitFor({ state: 'detached' });
  await first.page.getByTestId('note').filter({ hasText: 'переведён на petrov' }).waitFor();
  await screenshot(first.page, '12-transferred-away');

  const ticketId = (await panel.getAttribute('data-ticket-id'))!;
  const stored = (await app.request('GET', `/api/tickets/${ticketId}`, desk.agents.petrov.token)).body;
  t.same(stored.assignees, [desk.agents.petrov.id], 'the new agent owns it');
  t.equal(stored.technicalDetails, 'Код ошибки 0x80004005');
  t.same([...first.errors, ...second.errors], []);
});
