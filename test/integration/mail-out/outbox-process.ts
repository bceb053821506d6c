// A process that only runs the outbox's worker (the part of the service that sends mail), for the
// restart test to kill at the worst moment. Env: DATABASE_URL, MAIL_SMTP_URL, LEASE_SECONDS.
import pino from 'pino';
import { createDataSource } from '../../../src/db/data-source';
import { MailOutbox } from '../../../src/mail/outbox';

async function main() {
  const ds = createDataSource(process.env.DATABASE_URL!, 2);
  await ds.initialize();
  const outbox = new MailOutbox({
    ds,
    smtpUrl: process.env.MAIL_SMTP_URL!,
    from: 'Поддержка <support@desk.example.ru>',
    publicUrl: 'https://desk.example.ru',
    logger: pino({ level: 'silent' }),
    pollMs: 100,
    leaseSeconds: Number(process.env.LEASE_SECONDS ?? 2),
    retrySeconds: 0.2,
  });
  outbox.start();
  process.stdout.write('ready\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
