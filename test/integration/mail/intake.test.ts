// A mail in the support mailbox (a real Dovecot, read over IMAP with IDLE) becomes a registered,
// unassigned e-mail request — once: the same Message-ID again, a restart, or a crash between
// fetching and storing never makes a second one, and nothing is lost.
import t from 'tap';
import { waitFor } from '../../helpers/wait';
import { fixture, mailDesk, mailRows, restarted, tickets } from './mail-harness';

t.test('a new mail becomes a registered e-mail request in «Неразобранные», its raw message kept', async (t) => {
  const { h, dv, told } = await mailDesk(t);
  await waitFor('the mailbox connected', async () => (await h.request('GET', '/api/health', null)).body.mail?.connected);
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));

  const [req] = await waitFor('the request', async () => {
    const items = await tickets(h, 'unassigned');
    return items.length === 1 && items;
  });
  t.match(req, { status: 'registered', channel: 'email', priority: 'normal', subject: 'Не печатаются накладные после обновления', assignees: [] });
  t.match(req.number, /^\d{4}-\d{6}$/, 'it has a number at once (R2)');
  const detail = (await h.request('GET', `/api/tickets/${req.id}`, h.adminToken)).body;
  t.match(detail.description, /^Добрый день!\n\nПосле обновления до 5\.2\.1 не печатаются накладные/);
  t.same(detail.journal.map((e: any) => e.kind), ['registered', 'status_changed']);

  const rows = await mailRows(h);
  t.equal(rows.length, 1);
  t.match(rows[0], { uid: 1, message_id: '<0f1e2d3c-koi8@romashka.ru>', outcome: 'request', ticket_id: req.id });
  t.ok(Buffer.compare(Buffer.from(rows[0].raw), fixture('new-koi8r-thunderbird.eml')) === 0, 'the raw message is kept byte for byte');
  t.match(told, [{ kind: 'new', ticketId: req.id, message: { from: 'ivan@romashka.ru', autoReplyAllowed: true, messageId: '<0f1e2d3c-koi8@romashka.ru>' } }], 'the outbox hears of it, to acknowledge');

  const health = (await h.request('GET', '/api/health', null)).body;
  t.same(health.mail, { connected: true, lastUid: 1, quarantined: 0 });
});

t.test('the same Message-ID delivered twice opens one request', async (t) => {
  const { h, dv } = await mailDesk(t);
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await dv.deliver(fixture('new-html-only-cp1251.eml'));
  await waitFor('all three read', async () => (await h.request('GET', '/api/health', null)).body.mail?.lastUid === 3);
  t.same((await tickets(h)).map((r) => r.subject).sort(), ['Не открывается отчёт', 'Не печатаются накладные после обновления']);
  t.equal((await mailRows(h)).length, 2, 'the copy is not stored again');
});

t.test('killed between fetching a mail and storing it, the service reads it again after the restart — once', async (t) => {
  const { h, dv, told } = await mailDesk(t, {
    // The first service stores UID 1, then "dies" on UID 2 each time it has fetched it.
    beforeStore: (uid) => {
      if (uid === 2) throw new Error('killed before storing');
    },
  });
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await dv.deliver(fixture('new-html-only-cp1251.eml'));
  await waitFor('the first stored', async () => (await mailRows(h)).length === 1);
  await waitFor('the second fetched and lost at least once', async () => (await h.request('GET', '/api/health', null)).body.mail?.lastUid === 1);
  await h.app.close();

  const again = await restarted(t, h, dv, told);
  await waitFor('the second read after the restart', async () => (await mailRows(again)).length === 2 || null, 15_000);
  await waitFor('the mailbox read to its end', async () => again.mailIn?.intake.status().lastUid === 2);
  const rows = await mailRows(again);
  t.same(rows.map((r) => [r.uid, r.outcome]), [[1, 'request'], [2, 'request']], 'each mail once, none lost');
  const count = await again.ds.query(`SELECT count(*)::int AS n FROM ticket WHERE channel = 'email'`);
  t.equal(count[0].n, 2, 'two requests, not three');
});

t.test('a mailbox renumbered (new UIDVALIDITY) is read again from its start, and nothing is doubled', async (t) => {
  const { h, dv } = await mailDesk(t);
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('read', async () => (await mailRows(h)).length === 1);
  await h.app.close();
  // As a server restored from backup would: the stored UIDVALIDITY no longer matches.
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: h.db.url });
  await c.connect();
  await c.query(`UPDATE mail_mailbox SET uidvalidity = 1, last_uid = 99`);
  await c.end();
  await dv.deliver(fixture('new-html-only-cp1251.eml'));
  const again = await restarted(t, h, dv, []);
  await waitFor('read to the end again', async () => again.mailIn?.intake.status().lastUid === 2);
  const n = await again.ds.query(`SELECT count(*)::int AS n FROM mail_message`);
  t.equal(n[0].n, 2, 'the first mail is recognised by its Message-ID');
});

t.test('the mailbox going away makes health degraded; the intake reconnects by itself and reads on', async (t) => {
  const { h, dv } = await mailDesk(t);
  await waitFor('connected', async () => (await h.request('GET', '/api/health', null)).body.mail?.connected);
  await dv.stop();
  const down = await waitFor('health says the mailbox is away', async () => {
    const b = (await h.request('GET', '/api/health', null)).body;
    return b.mail?.connected === false && b;
  });
  t.equal(down.status, 'degraded');
  await dv.start();
  await waitFor('reconnected', async () => (await h.request('GET', '/api/health', null)).body.mail?.connected, 20_000);
  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('the mail after the outage read', async () => (await mailRows(h)).length === 1);
  t.pass('read after the outage');
});
