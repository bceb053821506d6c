// The whole service in a process of its own, for the kill -9 test: the PBX, the mailbox, the SMTP
// server and the database from the environment; says `ready <url>` on stdout once it listens.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../../../src/app';
import { testConfig } from '../../helpers/config';

async function main(): Promise<void> {
  const env = process.env;
  const app = await buildApp({
    config: testConfig([{ host: '127.0.0.1', port: Number(env.PBX_PORT) }], {
      mailImapUrl: env.MAIL_IMAP_URL,
      mailSmtpUrl: env.MAIL_SMTP_URL,
      mailFrom: 'Поддержка <support@desk.example.ru>',
      publicUrl: env.PUBLIC_URL,
    }),
    // stdout is for `ready`: the log goes to TEST_LOG_FILE when given (appended: both instances).
    logger: pino({ level: env.TEST_LOG_LEVEL ?? 'silent' }, env.TEST_LOG_FILE ? pino.destination({ dest: env.TEST_LOG_FILE, append: true, sync: true }) : undefined),
    databaseUrl: env.TEST_DATABASE_URL!,
    mailTimings: { pollMs: 200, retrySeconds: 0.2, leaseSeconds: 2 },
    mail: { pollMs: 1000 },
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  await app.startIngest();
  process.stdout.write(`ready http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}\n`);
}

void main();
