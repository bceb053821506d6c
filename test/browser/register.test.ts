import t from 'tap';
import { answeredDraft, screenshot } from '../helpers/browser';

t.test('an agent works a call from answer to a registered number with the keyboard alone', async (t) => {
  const { app, me, page, errors, ticketId } = await answeredDraft(t, [['ivanova', '101']]);

  // Focus is in the subject on answer; Tab walks the form; arrows pick the priority.
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'subject');
  await page.keyboard.type('Не запускается склад');
  await page.keyboard.press('Tab');
  await page.keyboard.type('После обновления модуль склада не открывается, работа стоит');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Версия 5.2.1, ошибка ORA-01017');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  t.equal(await page.locator('input[type=radio]:checked').getAttribute('value'), 'critical');
  await screenshot(page, '08-draft-filled');
  await page.keyboard.press('Control+Enter');

  const number = page.getByTestId('ticket-number');
  // The number, or the error the panel shows instead (so a failure says why, not just "timed out").
  const failed = page.getByTestId('action-error');
  const outcome = await Promise.race([
    number.waitFor().then(() => 'registered', (e: Error) => `no number: ${e.message.split('\n')[0]}`),
    failed.waitFor().then(async () => `the panel says: ${await failed.textContent()}`, () => new Promise<string>(() => undefined)),
  ]);
  t.equal(outcome, 'registered', 'Control+Enter registers the draft');
  const text = (await number.textContent())!;
  t.match(text, /^\d{4}-\d{6}$/, 'the journal number, shown large');
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'number-told', 'the keyboard is on "number told"');
  await screenshot(page, '09-registered');
  await page.keyboard.press('Space');
  await page.locator('[data-testid="number-panel"][data-told="true"]').waitFor();
  t.ok(await page.getByTestId('number-told').isChecked());

  const stored = (await app.request('GET', `/api/tickets/${ticketId}`, me.token)).body;
  t.equal(stored.status, 'registered');
  t.equal(stored.number, text);
  t.equal(stored.priority, 'critical');
  t.equal(stored.subject, 'Не запускается склад');
  t.equal(stored.technicalDetails, 'Версия 5.2.1, ошибка ORA-01017');
  t.equal(stored.numberTold, true);
  t.ok(stored.journal.some((e: any) => e.kind === 'number_told'), 'telling the number is journaled');

  // Another problem in the same call: a second request linked to the first and to the call.
  await page.getByTestId('another-problem').click();
  await page.getByRole('tab').nth(1).waitFor();
  const second = page.getByTestId('ticket-panel');
  await page.waitForFunction((first) => document.querySelector('[data-testid="ticket-panel"]')?.getAttribute('data-ticket-id') !== first, ticketId);
  const secondId = (await second.getAttribute('data-ticket-id'))!;
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'subject');
  await page.keyboard.type('Не приходят письма');
  const child = (await app.request('GET', `/api/tickets/${secondId}`, me.token)).body;
  t.equal(child.parentId, ticketId);
  t.same(child.callIds, stored.callIds);
  t.equal(child.status, 'draft');
  await screenshot(page, '10-another-problem');
  t.same(errors, []);
});
