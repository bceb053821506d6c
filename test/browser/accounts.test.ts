// Users: an admin creates one with a temporary password, the new user must choose their own at
// the first sign-in, changes it again at «Мой профиль», and is signed out at once when disabled.
import t from 'tap';
import { ADMIN } from '../helpers/app';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';

t.test('a new user chooses their own password at the first sign-in; disabling them signs them out at once', async (t) => {
  const { app } = await startDesk(t, []);
  const admin = await openPanel(t, app.url);
  await signIn(admin.page, ADMIN.login, ADMIN.password);
  await admin.page.getByTestId('nav-users').click();
  await admin.page.waitForURL('**/admin/users');
  const form = admin.page.getByTestId('new-user');
  await form.getByLabel('Логин').fill('novikova');
  await form.getByLabel('Имя').fill('Анна Новикова');
  await form.getByLabel('Внутренний номер').fill('105');
  await form.getByLabel('Временный пароль').fill('temporary-pass');
  t.ok(await form.getByLabel('Сменить пароль при первом входе').isChecked(), 'a temporary password by default');
  await form.getByRole('button', { name: 'Создать' }).click();
  const row = admin.page.locator('[data-testid="user-row"][data-login="novikova"]');
  await row.waitFor();
  await screenshot(admin.page, '24-users');

  // The new user signs in and is asked for a password of their own before anything else.
  const user = await openPanel(t, `${app.url}/tickets`);
  await user.page.getByLabel('Логин').fill('novikova');
  await user.page.getByLabel('Пароль').fill('temporary-pass');
  await user.page.getByRole('button', { name: 'Войти' }).click();
  const pw = user.page.getByTestId('password-form');
  await pw.waitFor();
  t.equal(await user.page.getByTestId('nav-tickets').count(), 0, 'nothing else until the password is changed');
  await screenshot(user.page, '25-must-change-password');
  await pw.getByLabel('Текущий пароль').fill('temporary-pass');
  await pw.getByLabel('Новый пароль', { exact: true }).fill('my-own-password');
  await pw.getByLabel('Новый пароль ещё раз').fill('my-own-passwort');
  await pw.getByRole('button', { name: 'Сменить пароль' }).click();
  await pw.getByText('Пароли не совпадают').waitFor();
  await pw.getByLabel('Новый пароль ещё раз').fill('my-own-password');
  await pw.getByRole('button', { name: 'Сменить пароль' }).click();
  await user.page.getByTestId('ticket-list').waitFor();
  t.equal(new URL(user.page.url()).pathname, '/tickets', 'then the page they opened');
  t.equal((await app.request('POST', '/api/session', null, { login: 'novikova', password: 'my-own-password' })).status, 200, 'the new password opens');

  // «Мой профиль»: the password again, knowing the current one.
  await user.page.getByTestId('nav-me').click();
  await user.page.waitForURL('**/me');
  await user.page.getByLabel('Текущий пароль').fill('my-own-password');
  await user.page.getByLabel('Новый пароль', { exact: true }).fill('second-password');
  await user.page.getByLabel('Новый пароль ещё раз').fill('second-password');
  await user.page.getByRole('button', { name: 'Сменить пароль' }).click();
  await user.page.getByTestId('password-changed').waitFor();

  // Disabled by the admin: signed out at once, and the row says so.
  await row.getByTestId('deactivate').click();
  await admin.page.locator('[data-testid="user-row"][data-login="novikova"][data-active="false"]').waitFor();
  await user.page.getByRole('button', { name: 'Войти' }).waitFor({ timeout: 5000 });
  t.pass('the disabled user’s panel is back at the sign-in within 5 s');
  t.equal((await app.request('POST', '/api/session', null, { login: 'novikova', password: 'second-password' })).status, 401, 'and cannot sign in');
  t.same(admin.errors, []);
  t.same(user.errors.filter((e) => !/status of 40[13]/.test(e)), []);
});
