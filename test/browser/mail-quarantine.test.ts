// An admin opens «Почта», sees the mail that could not be read with the reason, reads one again
// (still unreadable: it stays) and drops it; the mail after it became a request as usual.
import t from 'tap';
import { ADMIN } from '../helpers/app';
import { openPanel, screenshot, signIn } from '../helpers/browser';
import { waitFor } from '../helpers/wait';
import { fixture, mailDesk, mailRows } from '../integration/mail/mail-harness';

t.test('an admin sees the quarantined mail with its reason, retries it and drops it', async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('broken-mime.eml'));
  await d.dv.deliver(fixture('no-sender.eml'));
  await d.dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('all three read', async () => (await mailRows(d.h)).length === 3);

  const { page, errors } = await openPanel(t, `${d.h.url}/admin/mail`);
  await signIn(page, ADMIN.login, ADMIN.password);
  await page.getByTestId('mail-page').waitFor();
  const rows = page.getByTestId('quarantined-mail');
  await rows.first().waitFor();
  t.equal(await rows.count(), 2);
  t.match(await rows.nth(0).textContent(), /\(без отправителя\).*Who am I.*нет пригодного отправителя/);
  t.match(await rows.nth(1).textContent(), /someone@romashka\.ru.*Broken.*MIME/);
  await screenshot(page, '35-mail-quarantine');

  await rows.nth(1).getByRole('button', { name: /Прочитать снова/ }).click();
  await page.getByText(/Письмо по-прежнему не читается/).waitFor();
  t.equal(await rows.count(), 2, 'still unreadable: it stays');
  await rows.nth(1).getByRole('button', { name: /Удалить/ }).click();
  await waitFor('one left', async () => (await rows.count()) === 1);
  await rows.first().getByRole('button', { name: /Удалить/ }).click();
  await page.getByTestId('no-quarantined-mail').waitFor();
  t.equal((await d.h.request('GET', '/api/tickets?view=unassigned', d.h.adminToken)).body.items.length, 1, 'the good mail became a request');
  t.same(errors, []);
});
