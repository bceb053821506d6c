// The sender dies at the worst moment — after the SMTP server accepted a mail, before the outbox
// marked it sent: after a restart the mail is not lost; it is sent again once its lease runs out
// (the one duplicate SMTP cannot prevent: the server has it, the outbox could not record that).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import pino from 'pino';
import { buildTestApp } from '../../helpers/app';
import { startSmtpReceiver } from '../../helpers/smtp';
import { waitFor } from '../../helpers/wait';
import { outboxMailsOf } from '../../../src/db/mail-outbox';
import { MailOutbox } from '../../../src/mail/outbox';
import { MAIL_FROM, requestOf } from './helpers';

function startSender(t: { teardown(fn: () => unknown): void }, databaseUrl: string, smtpUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'outbox-process.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, MAIL_SMTP_URL: smtpUrl, LEASE_SECONDS: '2' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`sender exited early (${code})`)));
  });
}

t.test('a sender killed between the SMTP accept and the mark: after restart the mail is sent again, not lost', async (t) => {
  const smtp = await startSmtpReceiver(t);
  const h = await buildTestApp(t, { connectPbx: false });
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  // Queued as the service queues it (this process sends nothing: its outbox is not started).
  const queuer = new MailOutbox({ ds: h.app.ds, smtpUrl: smtp.url, from: MAIL_FROM, publicUrl: 'https://desk.example.ru', logger: pino({ level: 'silent' }) });
  await h.app.ds.transaction((m) =>
    queuer.queue(m, { kind: 'reply', ticketId: req.id, to: 'maria@client.example.org', number: req.number, subject: 'Не печатает чек', text: 'Ответ клиенту.' }),
  );

  const first = await startSender(t, h.db.url, smtp.url);
  let killed = false;
  smtp.beforeAccept = () => {
    if (killed) return;
    killed = true;
    // Frozen before it can read the server's 250, then killed: it never marks the mail sent.
    first.kill('SIGSTOP');
    setTimeout(() => first.kill('SIGKILL'), 100);
  };
  await waitFor('the first sender to die', () => first.signalCode === 'SIGKILL', 15_000);
  t.equal(smtp.mails.length, 1, 'the server accepted the mail');
  const [claimed] = await outboxMailsOf(h.app.ds, req.id);
  t.equal(claimed.status, 'sending', 'the outbox never learned it was accepted');

  await startSender(t, h.db.url, smtp.url);
  const [sent] = await waitFor(
    'the restarted sender to send it',
    async () => {
      const rows = await outboxMailsOf(h.app.ds, req.id);
      return rows[0]?.status === 'sent' && rows;
    },
    20_000,
  );
  t.equal(sent.attempts, 2);
  t.equal(smtp.mails.length, 2, 'sent twice: the duplicate SMTP cannot prevent');
  t.equal(smtp.mails[0].messageId, smtp.mails[1].messageId, 'with the same Message-ID, so the customer’s mail client can fold them');
});

t.test('a sender killed before the server accepted: the mail is sent once after restart', async (t) => {
  const smtp = await startSmtpReceiver(t);
  const h = await buildTestApp(t, { connectPbx: false });
  const anna = await h.agent('anna', '101');
  const req = await requestOf(h, anna.token, 'maria@client.example.org');
  const queuer = new MailOutbox({ ds: h.app.ds, smtpUrl: smtp.url, from: MAIL_FROM, publicUrl: 'https://desk.example.ru', logger: pino({ level: 'silent' }) });
  await h.app.ds.transaction((m) =>
    queuer.queue(m, { kind: 'reply', ticketId: req.id, to: 'maria@client.example.org', number: req.number, subject: 'Не печатает чек', text: 'Ответ клиенту.' }),
  );
  smtp.refuseNext(1000);
  const first = await startSender(t, h.db.url, smtp.url);
  await waitFor('a refused attempt', async () => (await outboxMailsOf(h.app.ds, req.id))[0]?.last_error);
  first.kill('SIGKILL');
  smtp.refuseNext(0);
  await startSender(t, h.db.url, smtp.url);
  await waitFor('the restarted sender to send it', async () => (await outboxMailsOf(h.app.ds, req.id))[0]?.status === 'sent', 20_000);
  t.equal(smtp.mails.length, 1, 'once');
});
