// The call log: every call, filtered (outcome, line), each with its legs and requests.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('the call log lists answered and missed calls, filters them, and shows a call’s legs and request', async (t) => {
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  await desk.peer.replay(loadScenario('S1-answered'));
  await desk.peer.replay(loadScenario('S3-missed'));
  await waitFor('both calls stored, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls', desk.agents.boss.token);
    return r.body.items.length >= 2 && r.body.items.every((c: any) => c.endedAt);
  });
  const { page, errors } = await openPanel(t, `${desk.app.url}/calls`);
  await signIn(page, 'boss', desk.agents.boss.password);
  await page.getByTestId('call-log').waitFor();
  await page.locator('[data-testid="call-row"][data-outcome="answered"]').first().waitFor();
  await page.locator('[data-testid="call-row"][data-outcome="missed"]').first().waitFor();
  await screenshot(page, '27-call-log');

  await page.getByLabel('Итог').selectOption('missed');
  await page.waitForURL(/outcome=missed/);
  await page.locator('[data-testid="call-row"][data-outcome="missed"]').first().waitFor();
  t.equal(await page.locator('[data-testid="call-row"][data-outcome="answered"]').count(), 0, 'missed ones only');

  // The filtered log as CSV, as the supervisor's browser downloads it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = readFileSync((await download.path())!);
  t.same([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a CSV for Excel');
  const rows = csv.toString('utf8').split('\r\n').filter(Boolean);
  t.equal(rows.length, 1 + (await page.locator('[data-testid="call-row"]').count()), 'the rows the filtered log shows, and a header');

  await page.getByLabel('Итог').selectOption('answered');
  await page.locator('[data-testid="call-row"][data-outcome="answered"] a').first().click();
  await page.getByTestId('call-page').waitFor();
  t.ok((await page.getByTestId('legs').locator('li').count()) >= 1, 'the legs');
  t.match(await page.getByTestId('legs').textContent(), /доб\. 101: звонок .*ответ/, 'who rang and who answered');
  await page.getByTestId('call-requests').locator('li').first().waitFor();
  t.pass('the request the call opened');
  t.same(errors, []);
});
