// The service process killed (SIGKILL) between fetching a mail and storing it: after the restart
// every mail is there once — none lost, none doubled.
import { spawn } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { buildApp } from '../../../src/app';
import { buildTestApp } from '../../helpers/app';
import { testConfig } from '../../helpers/config';
import { startDovecot } from '../../helpers/dovecot';
import { waitFor } from '../../helpers/wait';
import { MAIL_FROM, mailOptions } from './mail-harness';

const mail = (n: number) => `From: customer${n}@romashka.ru\r\nTo: support@example.ru\r\nSubject: Problem ${n}\r\nMessage-ID: <crash-${n}@romashka.ru>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nНе работает ${n}.\r\n`;

t.test('killed between fetch and store, the restarted service has every mail exactly once', async (t) => {
  const dv = await startDovecot(t);
  for (let n = 1; n <= 5; n++) await dv.deliver(mail(n));
  // The database, migrated, with nobody reading the mailbox yet.
  const h = await buildTestApp(t, {});
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'intake-process.ts')], {
    env: { ...process.env, MAIL_IMAP_URL: dv.url, TEST_DATABASE_URL: h.db.url, STALL_AT_UID: '4' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await waitFor('the child fetched UID 4', () => out.includes('fetched 4'), 30_000);
  const stored = await h.app.ds.query(`SELECT count(*)::int AS n FROM mail_message`);
  t.equal(stored[0].n, 3, 'UIDs 1–3 stored, 4 fetched and not');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;

  for (let n = 6; n <= 7; n++) await dv.deliver(mail(n)); // more arrive while it is down
  await h.app.close();
  const told: Parameters<typeof mailOptions>[0] = [];
  const restarted = await buildApp({ config: testConfig([], { mailImapUrl: dv.url, mailFrom: MAIL_FROM }), logger: pino({ level: 'silent' }), databaseUrl: h.db.url, mail: mailOptions(told) });
  t.teardown(() => restarted.close());
  await restarted.startIngest();
  await waitFor('all seven read', async () => restarted.mailIn?.intake.status().lastUid === 7, 20_000);
  const rows = await restarted.ds.query(`SELECT uid::int, message_id, outcome FROM mail_message ORDER BY uid`);
  t.same(rows.map((r: any) => r.uid), [1, 2, 3, 4, 5, 6, 7], 'each mail once');
  t.ok(rows.every((r: any) => r.outcome === 'request'));
  const tickets = await restarted.ds.query(`SELECT count(*)::int AS n FROM ticket WHERE channel = 'email'`);
  t.equal(tickets[0].n, 7, 'seven requests, none doubled');
  t.same(told.map((x) => x.message.messageId), ['<crash-4@romashka.ru>', '<crash-5@romashka.ru>', '<crash-6@romashka.ru>', '<crash-7@romashka.ru>'], 'the restarted service acknowledges what it stored');
});
