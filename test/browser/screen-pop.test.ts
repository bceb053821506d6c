import t from 'tap';
import { answeredBy, cutScenario, dialTo, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const CALLER = '+79111234567';

t.test('a ringing support call pops up with the caller, their open requests and last calls, and opens its draft on answer', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['petrov', '102'], ['boss', '199', 'supervisor']]);
  const { app, peer } = desk;
  const admin = desk.agents.boss.token;

  // History: an earlier call from the same number (S1), and two open requests, one completed.
  await peer.replay(loadScenario('S1-answered'));
  const earlier = await waitFor('the earlier call, ended', async () => (await app.request('GET', `/api/calls?callerNumber=${encodeURIComponent(CALLER)}`, admin)).body.items.find((c: any) => c.endedAt));
  await app.request('POST', `/api/tickets/${earlier.ticketIds[0]}/transitions`, admin, { to: 'discarded', reason: 'test' });
  const open = await app.request('POST', '/api/tickets', admin, { callerNumber: CALLER, subject: 'Отчёт не печатается', description: 'Печать отчёта падает', register: true });
  const done = await app.request('POST', '/api/tickets', admin, { callerNumber: CALLER, subject: 'Не входит в систему', description: 'ORA-01017 при входе', register: true });
  await app.request('POST', `/api/tickets/${done.body.id}/transitions`, admin, { to: 'in_progress' });
  const completed = await app.request('POST', `/api/tickets/${done.body.id}/transitions`, admin, { to: 'completed', solution: 'Сброшен пароль' });
  t.equal(completed.body.status, 'completed');

  const { page, errors } = await openPanel(t, app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);

  const [ringing, answering, rest] = cutScenario('S5-transfer', dialTo('101'), answeredBy('101'));
  await peer.replay(ringing);
  const ring = page.getByTestId('ring');
  await ring.waitFor();
  t.equal(await ring.getByTestId('ring-number').textContent(), '+7 (911) 123-45-67');
  const requests = ring.getByTestId('open-ticket');
  await t.resolves(requests.nth(1).waitFor(), 'both open requests are listed');
  t.match(await requests.nth(0).textContent(), new RegExp(`${completed.body.number}.*ждёт подтверждения клиента`), 'the one awaiting confirmation comes first');
  t.match(await requests.nth(1).textContent(), open.body.number);
  t.match(await ring.locator('.last-calls').textContent(), /\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} · отвечен · доб\. 101/, 'the earlier call, in Moscow time');
  await screenshot(page, '03-ringing');

  // The customer confirms on the phone: recorded on their behalf, with the call it came on.
  await requests.nth(0).getByRole('button', { name: 'Клиент подтверждает' }).click();
  await page.getByTestId('note').filter({ hasText: 'подтвердил' }).waitFor();
  await t.resolves(
    page.waitForFunction(() => document.querySelectorAll('[data-testid="ring"] [data-testid="open-ticket"]').length === 1, null, { timeout: 3000 }),
    'the confirmed request leaves the open list',
  );
  const closed = await app.request('GET', `/api/tickets/${done.body.id}`, admin);
  t.equal(closed.body.status, 'closed');
  t.equal(closed.body.closeReason, 'confirmed');
  const entry = closed.body.journal.find((e: any) => e.kind !== 'registered' && e.onBehalfOf === 'customer');
  t.ok(entry, 'journaled as the customer’s');
  const liveCall = (await app.request('GET', `/api/calls?callerNumber=${encodeURIComponent(CALLER)}`, admin)).body.items.find((c: any) => !c.endedAt);
  t.equal(entry.callId, liveCall.id, 'with the call it came on');

  await peer.replay(answering);
  await ring.waitFor({ state: 'detached' });
  const panel = page.getByTestId('ticket-panel');
  await panel.waitFor();
  t.equal(await page.getByTestId('case-number').textContent(), '+7 (911) 123-45-67');
  t.equal(await panel.getAttribute('data-status'), 'draft');
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'subject', 'the keyboard is in the draft');
  t.equal(await page.getByTestId('open-ticket').count(), 1, 'the case shows at once what the pop-up knew: the one open request');
  await screenshot(page, '04-answered');
  void rest;
  t.same(errors, []);
});

t.test('several ringing calls stack, and a call another agent takes leaves with a note', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['petrov', '102'], ['sidorov', '103']]);
  const { page } = await openPanel(t, desk.app.url);
  await signIn(page, 'sidorov', desk.agents.sidorov.password);

  const [three, untilTaken] = cutScenario('S10-burst', nthDial('103', 3), answeredBy('101'));
  await desk.peer.replay(three);
  await page.getByTestId('ring').nth(2).waitFor();
  t.equal(await page.getByTestId('ring').count(), 3);
  await screenshot(page, '05-three-ringing');

  await desk.peer.replay(untilTaken);
  const note = page.getByTestId('note').filter({ hasText: /принял ivanova \(доб\. 101\)/ });
  await note.waitFor();
  await screenshot(page, '06-taken-note');
  t.pass('the pop-up of the call 101 took went with a note');
});

function nthDial(ext: string, n: number) {
  let seen = 0;
  const dial = dialTo(ext);
  return (f: Record<string, string>) => dial(f) && ++seen === n;
}

t.test('a withheld caller pops up as "number withheld", with no history looked up', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { page, errors } = await openPanel(t, desk.app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  const [ringing] = cutScenario('S8-anonymous', dialTo('101'));
  await desk.peer.replay(ringing);
  const ring = page.getByTestId('ring');
  await ring.waitFor();
  t.equal(await ring.getByTestId('ring-number').textContent(), 'Номер скрыт');
  t.match(await ring.textContent(), /История по скрытому номеру не ищется/);
  t.match(await page.title(), /^☎ Номер скрыт · calldesk$/, 'the browser tab says it rings');
  t.same(errors, []);
});
