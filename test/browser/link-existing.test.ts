import t from 'tap';
import { answeredBy, cutScenario, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('a call about an existing request is linked to it, and the notes typed go into its journal', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['boss', '199', 'supervisor']]);
  const { app, peer } = desk;
  const existing = await app.request('POST', '/api/tickets', desk.agents.boss.token, {
    callerNumber: '+79111234567',
    subject: 'Не проводится накладная',
    description: 'Ошибка при проведении',
    register: true,
  });
  t.equal(existing.status, 201);
  const { page, errors } = await openPanel(t, app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);

  const [answered] = cutScenario('S1-answered', answeredBy('101'));
  await peer.replay(answered);
  const panel = page.getByTestId('ticket-panel');
  await panel.waitFor();
  const draftId = (await panel.getAttribute('data-ticket-id'))!;
  await page.getByTestId('description').fill('Клиент уточняет: ошибка только на складе №2');

  await page.getByTestId('about-existing').click();
  const item = page.locator('.case-side').getByTestId('open-ticket').filter({ hasText: existing.body.number });
  await screenshot(page, '17-about-existing');
  await item.getByRole('button', { name: 'Звонок по этой заявке' }).click();
  await page.getByTestId('note').filter({ hasText: `привязан к заявке ${existing.body.number}` }).waitFor();
  await page.locator(`[data-testid="ticket-panel"][data-ticket-id="${existing.body.id}"]`).waitFor();

  const linked = (await app.request('GET', `/api/tickets/${existing.body.id}`, desk.agents.boss.token)).body;
  const draft = (await app.request('GET', `/api/tickets/${draftId}`, desk.agents.boss.token)).body;
  t.equal(linked.callIds.length, 1, 'the call is linked to the existing request');
  t.same(draft.callIds, linked.callIds);
  t.equal(draft.status, 'discarded');
  t.equal(draft.discardReason, 'linked');
  t.ok(
    linked.journal.some((e: any) => JSON.stringify(e.data).includes('ошибка только на складе №2')),
    'the notes typed into the draft are in the request’s journal',
  );
  t.same(errors, []);
});
