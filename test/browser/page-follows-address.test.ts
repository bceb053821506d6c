// A page shows what its address names, and nothing else: moving in the panel from one call to
// another while the first one's answer is still on its way, that late answer is dropped — it must
// not show, nor be acted on (its caller blocked), under the second one's address.
import t from 'tap';
import type { Page } from 'playwright-core';
import { openPanel, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

/** Holds the answer to the first request matching `url` on its way back (later ones pass); returns its release. */
function holdAnswer(page: Page, url: string): Promise<() => Promise<void>> {
  let holding = true;
  return new Promise((held) =>
    void page.route(url, async (route) => {
      if (!holding) return route.continue();
      holding = false;
      const answer = await route.fetch();
      held(() => route.fulfill({ response: answer }));
    }),
  );
}

/** In-panel navigation, as a link does it (no page load). */
const go = (page: Page, path: string) => page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`);

/** Lets the late answer arrive and be rendered, if the page would render it. */
async function release(page: Page, release: () => Promise<void>, url: string) {
  const late = page.waitForEvent('requestfinished', (r) => r.url().endsWith(url));
  await release();
  await late;
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
}

t.test('a late answer for the call left never shows under the next call’s address', async (t) => {
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]);
  const boss = desk.agents.boss;
  await desk.peer.replay(loadScenario('S1-answered'));
  await desk.peer.replay(loadScenario('S3-missed'));
  const calls = await waitFor('both calls stored, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls', boss.token);
    return r.body.items.length === 2 && r.body.items.every((c: any) => c.endedAt) && r.body.items;
  });
  const [first, second] = calls;
  t.not(first.callerNumber, second.callerNumber, 'two callers');
  const { page, errors } = await openPanel(t, `${desk.app.url}/calls`);
  await signIn(page, 'boss', boss.password);
  await page.getByTestId('call-log').waitFor();
  const held = holdAnswer(page, `**/api/calls/${first.id}`);
  await go(page, `/calls/${first.id}`);
  const releaseFirst = await held;
  await go(page, `/calls/${second.id}`);
  await page.getByTestId('call-page').waitFor();
  const heading = async () => (await page.getByTestId('call-page').getByRole('heading', { level: 1 }).textContent()) ?? '';
  const secondHeading = await heading();
  await release(page, releaseFirst, `/api/calls/${first.id}`);
  t.equal(await heading(), secondHeading, 'the second call’s page, still');
  t.equal(await page.getByTestId('block-caller').getAttribute('href'), `/admin/blocked?number=${encodeURIComponent(second.callerNumber)}`, 'and «block» blocks its caller');
  t.same(errors, []);
});
