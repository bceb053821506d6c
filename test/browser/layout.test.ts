import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import { answeredBy, cutScenario, dialTo, openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';

type Box = { x: number; y: number; width: number; height: number };

async function boxes(loc: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (let i = 0; i < (await loc.count()); i++) {
    const b = await loc.nth(i).boundingBox();
    if (b && b.width > 0 && b.height > 0) out.push(b);
  }
  return out;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const show = (b: Box) => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`;

/** The draft's fields and controls that a pop-up or note must never hide. */
async function draftParts(page: Page): Promise<[string, Box][]> {
  const out: [string, Box][] = [];
  const parts: [string, Locator][] = [
    ['case header', page.locator('.case-head')],
    ['case switcher', page.locator('.case-switcher')],
    ['subject', page.getByTestId('subject')],
    ['description', page.getByTestId('description')],
    ['technical details', page.getByTestId('technical-details')],
    ['priority', page.locator('.priority')],
    ['screenshot', page.locator('.ticket-panel .screenshot')],
    ['buttons', page.locator('.ticket-panel .actions')],
  ];
  for (const [name, loc] of parts) for (const b of await boxes(loc)) out.push([name, b]);
  return out;
}

t.test('a ringing call’s pop-up and the notes under it never cover the draft being typed, and the call-back badge is readable (1366×768)', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['petrov', '102'], ['sidorov', '103']]);
  const { page, errors } = await openPanel(t, desk.app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);

  // A call answered: its draft opens and the agent types into it.
  const [answered] = cutScenario('S1-answered', answeredBy('101'));
  await desk.peer.replay(answered);
  await page.getByTestId('ticket-panel').waitFor();
  await page.getByTestId('subject').fill('Не печатается счёт-фактура');
  await page
    .getByTestId('description')
    .fill('При печати счёта-фактуры из журнала документов программа показывает ошибку и закрывает окно предпросмотра. С утра у всех пользователей отдела, вчера всё работало.');
  await page.getByTestId('technical-details').fill('Версия 5.2.1, модуль «Продажи», рабочее место BUH-07, ошибка ORA-01017 при повторном входе');

  // A call that rang and was given up: a note and a line in the call-back list.
  await desk.peer.replay(loadScenario('S3-missed'));
  await page.getByTestId('callback').waitFor();
  await page.getByTestId('note').first().waitFor();
  // And now the next call rings while the agent is still typing.
  const [ringing] = cutScenario('S4-queue', dialTo('101'));
  await desk.peer.replay(ringing);
  await page.getByTestId('ring').waitFor();

  const pops = [...(await boxes(page.getByTestId('ring'))).map((b) => ['pop-up', b] as const), ...(await boxes(page.getByTestId('note'))).map((b) => ['note', b] as const)];
  t.ok(pops.some(([k]) => k === 'pop-up'), 'the pop-up is on screen');
  t.ok(pops.some(([k]) => k === 'note'), 'a note is on screen');
  const parts = await draftParts(page);
  t.ok(parts.some(([k]) => k === 'description') && parts.some(([k]) => k === 'technical details'), 'the draft’s fields are on screen');
  const covered = parts.flatMap(([part, p]) => pops.filter(([, q]) => overlap(p, q)).map(([pop, q]) => `${pop} (${show(q)}) covers ${part} (${show(p)})`));
  t.same(covered, [], 'nothing pops up over the draft');
  // The pop-up stays prominent: wide enough for the number in large type, in the viewport.
  const ring = (await page.getByTestId('ring').boundingBox())!;
  t.ok(ring.width >= 340 && ring.x + ring.width <= 1366 && ring.y >= 0, `the pop-up is wide and in view (${show(ring)})`);
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'technical-details', 'the keyboard stayed in the draft');

  // The call-back line's "missed: n" badge is whole, inside the sidebar.
  const badge = page.getByTestId('callback').locator('.count');
  t.match(await badge.textContent(), /пропущено: 1/);
  const b = (await badge.boundingBox())!;
  const line = (await page.getByTestId('callback').boundingBox())!;
  t.ok(b.x >= line.x && b.x + b.width <= line.x + line.width, `the badge (${show(b)}) is inside its line (${show(line)})`);
  const side = await page.locator('aside.side').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  t.ok(side.scroll <= side.client, `nothing sticks out of the sidebar (${side.scroll} > ${side.client})`);

  await screenshot(page, '20-ringing-over-draft');
  t.same(errors, []);
});

t.test('an admin’s top bar at 1366×768: every section on one row, who is signed in and the PBX state each on one line', async (t) => {
  const desk = await startDesk(t, [['root2', null, 'admin']]);
  const { page, errors } = await openPanel(t, `${desk.app.url}/board`);
  await signIn(page, 'root2', desk.agents.root2.password);
  const links = await boxes(page.locator('.top-bar .sections a'));
  t.equal(links.length, 10, 'an admin has ten sections');
  t.same([...new Set(links.map((b) => Math.round(b.y)))].length, 1, `one row: ${links.map(show).join('; ')}`);
  const bar = (await page.locator('.top-bar').boundingBox())!;
  t.ok(links.every((b) => b.x + b.width <= bar.x + bar.width), 'none past the edge');
  for (const [what, loc] of [['who', page.locator('.top-bar .who')], ['PBX state', page.getByTestId('pbx-status')]] as const) {
    const b = (await loc.boundingBox())!;
    t.ok(b.height < 32, `${what} on one line (${show(b)})`);
  }
  t.same(errors, []);
});
