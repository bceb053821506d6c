import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';

t.test('a missed call waits in the call-back list, grouped by number, until someone takes it off', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101'], ['petrov', '102'], ['sidorov', '103'], ['boss', '199', 'supervisor']]);
  const agent = await openPanel(t, desk.app.url);
  const boss = await openPanel(t, desk.app.url);
  await signIn(agent.page, 'ivanova', desk.agents.ivanova.password);
  await signIn(boss.page, 'boss', desk.agents.boss.password);

  // S3: +79213334455 rings 101, 102 and 103; nobody answers; the caller gives up.
  await desk.peer.replay(loadScenario('S3-missed'));
  const entry = agent.page.getByTestId('callback');
  await entry.waitFor();
  t.match(await entry.textContent(), /\+7 \(921\) 333-44-55.*пропущено: 1/);
  await agent.page.getByTestId('note').filter({ hasText: 'положил трубку' }).first().waitFor();
  // Due within 2 hours of support time: an instant in support hours, at least 2 hours on.
  const [draft] = (await desk.app.request('GET', '/api/tickets?status=draft&callbackNeeded=true', desk.agents.boss.token)).body.items;
  const due = new Date(draft.callbackDueAt);
  t.ok(desk.app.app.calendar.isOpen(new Date(due.getTime() - 1)), `due at the end of a stretch of support time (${draft.callbackDueAt})`);
  t.ok(due.getTime() - Date.parse(draft.createdAt) >= 2 * 3_600_000, 'at least two hours after the miss');
  const msk = new Date(due.getTime() + 3 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const shown = `${p(msk.getUTCDate())}.${p(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${p(msk.getUTCHours())}:${p(msk.getUTCMinutes())}`;
  t.equal(await entry.getByTestId('callback-due').textContent(), `перезвонить до ${shown}`, 'the list says by when, in Moscow time');
  await screenshot(agent.page, '14-callback-list');
  t.equal(await entry.getByRole('button', { name: 'Снять' }).count(), 0, 'agents call back; they do not take lines off');

  const bossEntry = boss.page.getByTestId('callback');
  await bossEntry.waitFor();
  await bossEntry.getByRole('combobox').selectOption('callback_done');
  await bossEntry.getByRole('button', { name: 'Снять' }).click();
  await bossEntry.waitFor({ state: 'detached' });
  await boss.page.getByText('Пропущенных звонков нет').waitFor();

  const left = await desk.app.request('GET', '/api/tickets?status=draft&callbackNeeded=true', desk.agents.boss.token);
  t.same(left.body.items, []);
  const discarded = await desk.app.request('GET', '/api/tickets?status=discarded', desk.agents.boss.token);
  t.equal(discarded.body.items[0].discardReason, 'callback_done');
  t.same([...agent.errors, ...boss.errors], []);
});
