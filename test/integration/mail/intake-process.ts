// A service process reading the mailbox, for the crash test: it says on stdout which UID it has
// fetched, and stops dead (before storing) at the UID in STALL_AT_UID — so the test can SIGKILL it
// exactly between fetching a message and storing it.
import pino from 'pino';
import { buildApp } from '../../../src/app';
import { testConfig } from '../../helpers/config';

async function main(): Promise<void> {
  const stallAt = Number(process.env.STALL_AT_UID);
  const app = await buildApp({
    config: testConfig([], { mailImapUrl: process.env.MAIL_IMAP_URL, mailFrom: 'support@example.ru' }),
    logger: pino({ level: 'silent' }),
    databaseUrl: process.env.TEST_DATABASE_URL!,
    jobs: false,
    mail: {
      pollMs: 60_000,
      beforeStore: async (uid) => {
        process.stdout.write(`fetched ${uid}\n`);
        if (uid === stallAt) await new Promise(() => undefined); // killed here
      },
    },
  });
  await app.startIngest();
}

void main();
