// Blocked numbers: a supervisor blocks a caller from the call's page (the form comes filled in),
// sees the number listed, finds the caller's next call marked in the call log, and unblocks it.
import t from 'tap';
import { countFrames, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario, withNumber } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const CALLER = '+79213334455'; // the caller of the S3 recording

t.test('a supervisor blocks a caller from the call’s page, sees the number listed and the next call marked, and unblocks it', async (t) => {
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  const boss = desk.agents.boss;
  await desk.peer.replay(loadScenario('S3-missed'));
  const [missed] = await waitFor('the call stored, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls', boss.token);
    return r.body.items.length === 1 && r.body.items[0].endedAt && r.body.items;
  });

  const { page, errors } = await openPanel(t, `${desk.app.url}/calls/${missed.id}`);
  await signIn(page, 'boss', boss.password);
  await page.getByTestId('call-page').waitFor();
  await page.getByTestId('block-caller').click();
  await page.waitForURL('**/admin/blocked?number=*');
  const form = page.getByTestId('block-form');
  t.equal(await form.getByLabel('Номер').inputValue(), CALLER, 'the caller’s number, filled in');
  await form.getByLabel('Причина').fill('Рекламный обзвон');
  await form.getByLabel('До (включительно)').fill('2099-12-31');
  await form.getByRole('button', { name: 'Заблокировать номер' }).click();
  const row = page.locator(`[data-testid="blocked-row"][data-number="${CALLER}"]`);
  await row.waitFor();
  t.match(await row.textContent(), /\+7 \(921\) 333-44-55.*Рекламный обзвон.*по 31\.12\.2099 включительно.*boss/, 'number, reason, end, who');
  await screenshot(page, '29-blocked-numbers');

  // The same caller calls again: logged, marked, and no draft for it.
  await desk.peer.replay(withNumber('S1-answered', '+79111234567', CALLER));
  await waitFor('the blocked call stored, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls?blocked=true', boss.token);
    return r.body.items.length === 1 && r.body.items[0].endedAt;
  });
  await page.getByTestId('nav-calls-log').click();
  await page.getByTestId('call-log').waitFor();
  await page.locator('[data-testid="call-row"]').nth(1).waitFor();
  // Every frame painted under the new filter is watched: none may show the unfiltered list's rows.
  const staleFrames = await countFrames(page, `location.search.includes('blocked=true') && document.querySelector('[data-testid="call-row"][data-blocked="false"]')`);
  await page.getByLabel('Блокировка').selectOption('true');
  await page.waitForURL(/blocked=true/);
  await page.locator('[data-testid="call-row"][data-blocked="true"]').first().waitFor();
  t.equal(await page.locator('[data-testid="call-row"]').count(), 1, 'the blocked caller’s call only');
  t.equal(await staleFrames(), 0, 'no frame showed the other filter’s rows');
  t.equal(await page.getByTestId('blocked-mark').textContent(), 'номер заблокирован', 'marked');
  t.equal((await desk.app.request('GET', '/api/tickets?status=draft', boss.token)).body.items.length, 1, 'only the first call’s draft');

  // Unblocked from the list.
  await page.getByTestId('nav-blocked').click();
  await row.waitFor();
  await row.getByRole('button', { name: /Разблокировать/ }).click();
  await page.getByTestId('no-blocked').waitFor();
  t.same((await desk.app.request('GET', '/api/blocked-numbers?all=true', boss.token)).body.items, [], 'the entry is gone');
  t.same(errors, []);
});
