import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('an agent signs in to a Russian panel that shows the PBX state and can switch to English', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { page, errors } = await openPanel(t, desk.app.url);

  await page.getByRole('heading', { name: 'Вход в панель оператора' }).waitFor();
  // Which release this is, read from package.json: what support asks first.
  const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  t.equal(await page.getByTestId('version').textContent(), `calldesk, версия ${version}`, 'the sign-in page names the release');
  await screenshot(page, '01-sign-in');
  await page.getByLabel('Логин').fill('ivanova');
  await page.getByLabel('Пароль').fill('wrong');
  await page.getByRole('button', { name: 'Войти' }).click();
  t.equal(await page.getByRole('alert').textContent(), 'Неверный логин или пароль');

  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  t.match(await page.locator('.who').textContent(), /ivanova · доб\. 101/);
  // The state arrives with the socket's snapshot, a moment after the panel shows.
  await page.getByTestId('pbx-status').filter({ hasText: 'АТС: связь есть' }).waitFor({ timeout: 5000 });
  await page.getByRole('heading', { name: 'Ждём звонков' }).waitFor();
  await screenshot(page, '02-waiting');

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Waiting for calls' }).waitFor();
  await page.getByTestId('pbx-status').filter({ hasText: 'PBX: connected' }).waitFor({ timeout: 5000 });
  t.equal(await page.getByTestId('version').textContent(), `calldesk version ${version}`, 'the panel names the release in its footer');

  // The session is a cookie: a reload keeps the agent signed in, in the language chosen.
  await page.reload();
  await page.getByRole('heading', { name: 'Waiting for calls' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Agent panel sign-in' }).waitFor();
  t.same(errors, []);
});

t.test('when the session ends on the server (a new password) the panel goes back to sign-in and says why', async (t) => {
  const desk = await startDesk(t, [['ivanova', '101']]);
  const { page, errors } = await openPanel(t, desk.app.url);
  await signIn(page, 'ivanova', desk.agents.ivanova.password);
  const changed = await desk.app.request('PATCH', `/api/agents/${desk.agents.ivanova.id}`, desk.app.adminToken, { password: 'a-brand-new-password' });
  t.equal(changed.status, 200);
  await page.getByRole('alert').filter({ hasText: 'Сессия закончилась — войдите снова.' }).waitFor();
  // The admin's new password is a temporary one: signing in with it asks for the agent's own.
  await page.getByLabel('Логин').fill('ivanova');
  await page.getByLabel('Пароль').fill('a-brand-new-password');
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByTestId('password-form').waitFor();
  t.same(errors, []);
});
