// Mail over MAIL_MAX_BYTES is not fetched (a huge attachment, an archive bomb): its headers wait in
// quarantine with the size and the limit, no request is made, a retry does not make one of the
// headers, and the mail after it is read as usual.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { startDovecot } from '../../helpers/dovecot';
import { waitFor } from '../../helpers/wait';
import { MAIL_FROM, fixture, mailOptions, mailRows, tickets } from './mail-harness';

const huge = (kb: number) =>
  Buffer.from(
    `From: Иван <ivan@romashka.ru>\r\nTo: support@example.ru\r\nSubject: Лог сервера\r\nMessage-ID: <huge-1@romashka.ru>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `${'Строка журнала сервера, снова и снова.\r\n'.repeat(Math.ceil((kb * 1024) / 60))}`,
  );

t.test('mail over the size limit waits in quarantine as headers only; no request; the next mail is read', async (t) => {
  const dv = await startDovecot(t);
  const h = await buildTestApp(t, { config: { mailImapUrl: dv.url, mailFrom: MAIL_FROM, mailMaxBytes: 64 * 1024 }, appOptions: { mail: mailOptions([]) } });
  await h.app.startIngest();
  await dv.deliver(huge(200));
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  const rows = await waitFor('both read', async () => {
    const r = await mailRows(h);
    return r.length === 2 ? r : undefined;
  });
  const big = rows.find((r) => r.message_id === '<huge-1@romashka.ru>')!;
  t.match(big, { outcome: 'quarantined', ticket_id: null, reason: /too large: \d+ bytes, over MAIL_MAX_BYTES \(65536\)/ });
  t.ok(big.raw.length < 2048, `only the headers are kept (${big.raw.length} bytes)`);
  t.match(big.raw.toString(), /Subject: /, 'the headers say what it was');
  t.equal(rows.find((r) => r !== big)!.outcome, 'request', 'the mail after it is read as usual');
  t.equal((await tickets(h)).length, 1, 'one request: the big mail made none');

  const list = await h.request('GET', '/api/admin/mail', h.adminToken);
  t.equal(list.body.items.length, 1, 'admins see it in quarantine');
  const again = await h.request('POST', `/api/admin/mail/${list.body.items[0].id}/retry`, h.adminToken);
  t.equal(again.status, 200);
  t.equal((await mailRows(h)).find((r) => r.message_id === '<huge-1@romashka.ru>')!.outcome, 'quarantined', 'a retry keeps it there: its body was never fetched');
  t.equal((await tickets(h)).length, 1, 'and makes no request of the headers');
  t.equal((await h.request('DELETE', `/api/admin/mail/${list.body.items[0].id}`, h.adminToken)).status, 204, 'an admin drops it');
});
