// No loops, no junk: a bounce is attached to the request it bounced from and flags the address;
// auto-replies and list mail open nothing; mail that cannot be read waits in quarantine with the
// reason while the next is read as usual; admins see it, retry it and drop it.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { waitFor } from '../../helpers/wait';
import { fixture, mailDesk, mailRows } from './mail-harness';

t.test('a bounce is attached to the request it bounced from, flags the address and opens no request', async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  const first = await waitFor('the request', async () => (await mailRows(d.h)).find((r) => r.outcome === 'request'));
  const number = (await d.h.request('GET', `/api/tickets/${first.ticket_id}`, d.h.adminToken)).body.number;
  await d.dv.deliver(Buffer.from(fixture('bounce.eml').toString('latin1').replace('[CD#2026-000001]', `[CD#${number}]`), 'latin1'));
  const bounce = await waitFor('the bounce', async () => (await mailRows(d.h)).find((r) => r.uid === 2));
  t.match(bounce, { outcome: 'bounce', ticket_id: first.ticket_id, reason: /nobody@romashka\.ru/ });
  const journal = (await d.h.request('GET', `/api/tickets/${first.ticket_id}`, d.h.adminToken)).body.journal;
  t.match(journal.at(-1), { kind: 'mail_bounced', data: { addresses: ['nobody@romashka.ru'] } });
  const flagged = await d.h.app.ds.query(`SELECT address FROM mail_bounced_address`);
  t.same(flagged, [{ address: 'nobody@romashka.ru' }]);
  t.equal((await d.h.request('GET', '/api/tickets?view=open', d.h.adminToken)).body.items.length, 1, 'no request from the bounce');
  t.equal(d.told.length, 1, 'nothing answers a bounce');
});

t.test('an out-of-office auto-reply and a mailing-list message are kept, open nothing and get no answer', async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('auto-reply.eml'));
  await d.dv.deliver(fixture('mailing-list.eml'));
  await waitFor('both read', async () => (await mailRows(d.h)).length === 2);
  t.same((await mailRows(d.h)).map((r) => [r.outcome, r.reason]), [['ignored', 'Auto-Submitted: auto-replied'], ['ignored', 'Precedence: bulk']]);
  t.equal((await d.h.request('GET', '/api/tickets?view=open', d.h.adminToken)).body.items.length, 0);
  t.same(d.told, [], 'the outbox is told of neither');
});

t.test('unreadable mail waits in quarantine with the reason; the next mail is read as usual; admins retry and drop', async (t) => {
  const d = await mailDesk(t);
  await d.dv.deliver(fixture('broken-mime.eml'));
  await d.dv.deliver(fixture('no-sender.eml'));
  await d.dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('all three read', async () => (await mailRows(d.h)).length === 3);
  t.same((await mailRows(d.h)).map((r) => r.outcome), ['quarantined', 'quarantined', 'request'], 'the mail after them became a request');

  const list = await d.h.request('GET', '/api/admin/mail', d.h.adminToken);
  t.equal(list.status, 200);
  t.match(list.body.items, [
    { from: null, subject: 'Who am I', reason: /отправител/ },
    { from: 'someone@romashka.ru', subject: 'Broken', reason: /MIME/ },
  ]);
  t.same((await d.h.request('GET', '/api/health', null)).body.mail, { connected: true, lastUid: 3, quarantined: 2 });
  const metrics = await (await fetch(`${d.h.url}/metrics`)).text();
  t.match(metrics, /^calldesk_mail_connected 1$/m, 'metrics: the mailbox is connected');
  t.match(metrics, /^calldesk_mail_last_uid 3$/m, 'metrics: the last UID');
  t.match(metrics, /^calldesk_mail_quarantined 2$/m, 'metrics: the quarantine');

  const agent = await d.h.agent('olga', '101');
  t.equal((await d.h.request('GET', '/api/admin/mail', agent.token)).status, 403, 'admins only');
  const sup = await d.h.agent('sveta', null, 'supervisor');
  t.equal((await d.h.request('POST', `/api/admin/mail/${list.body.items[0].id}/retry`, sup.token)).status, 403);

  // Supervisors see it in the review queue (the quarantine itself is the admins').
  const review = (await d.h.request('GET', '/api/review', sup.token)).body.items.filter((i: any) => i.kind === 'mail_quarantined');
  t.equal(review.length, 2, 'each unreadable mail is an item of the review queue');
  t.match(review.find((i: any) => i.id.endsWith(list.body.items[1].id)), { detail: { from: 'someone@romashka.ru', reason: /MIME/ } });

  const broken = list.body.items[1];
  const again = await d.h.request('POST', `/api/admin/mail/${broken.id}/retry`, d.h.adminToken);
  t.match(again, { status: 200, body: { outcome: 'quarantined', reason: /MIME/ } }, 'still unreadable: it stays');
  t.equal((await d.h.request('DELETE', `/api/admin/mail/${broken.id}`, d.h.adminToken)).status, 204);
  t.equal((await d.h.request('DELETE', `/api/admin/mail/${broken.id}`, d.h.adminToken)).status, 404, 'dropped already');
  t.equal((await d.h.request('GET', '/api/admin/mail', d.h.adminToken)).body.items.length, 1);
  t.equal((await d.h.request('GET', '/api/review', sup.token)).body.items.filter((i: any) => i.kind === 'mail_quarantined').length, 1, 'a dropped mail leaves the review queue');
  t.equal((await d.h.request('POST', '/api/admin/mail/not-an-id/retry', d.h.adminToken)).status, 400, 'a malformed id is named');
});

t.test('a quarantined mail that reads after a fix becomes a request on retry', async (t) => {
  const d = await mailDesk(t);
  // As kept by an earlier release that could not read HTML-only mail.
  const id = randomUUID();
  await d.h.app.ds.query(
    `INSERT INTO mail_message (id, mailbox, uid, message_id, from_address, subject, raw, outcome, reason) VALUES ($1, 'old', NULL, '<html-only-1@lesnoe.ru>', 'olga@lesnoe.ru', 'x', $2, 'quarantined', 'no text')`,
    [id, fixture('new-html-only-cp1251.eml')],
  );
  const r = await d.h.request('POST', `/api/admin/mail/${id}/retry`, d.h.adminToken);
  t.match(r, { status: 200, body: { outcome: 'request' } });
  const req = (await d.h.request('GET', `/api/tickets/${r.body.ticketId}`, d.h.adminToken)).body;
  t.match(req, { subject: 'Не открывается отчёт', description: 'Не открывается отчёт «Остатки».\n\nСкриншот во вложении.\nОльга', channel: 'email' });
  const files = await d.h.app.ds.query(`SELECT filename, content_type, size FROM mail_attachment`);
  t.same(files, [{ filename: 'screen.png', content_type: 'image/png', size: 70 }], 'its attachment is kept');
  t.match(d.told, [{ kind: 'new', ticketId: r.body.ticketId }], 'the outbox hears of it after the retry');
  t.equal((await d.h.request('GET', '/api/admin/mail', d.h.adminToken)).body.items.length, 0);
});
