// The outgoing half of the e-mail channel, built once from the configuration: the outbox and its
// worker, and the mails requests' changes cause. Absent when MAIL_SMTP_URL is not set.
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import { CustomerMail } from './customer-mail';
import { MailOutbox } from './outbox';

export interface MailOutTimings {
  pollMs?: number;
  leaseSeconds?: number;
  retrySeconds?: number;
}

export interface MailOut {
  outbox: MailOutbox;
  customerMail: CustomerMail;
  start(): void;
  stop(): Promise<void>;
}

export function buildMailOut(ds: DataSource, config: Config, logger: Logger, timings: MailOutTimings = {}): MailOut | null {
  if (!config.mailSmtpUrl || !config.mailFrom || !config.publicUrl) return null;
  const outbox = new MailOutbox({ ds, smtpUrl: config.mailSmtpUrl, from: config.mailFrom, publicUrl: config.publicUrl, logger: logger.child({ module: 'mail-out' }), ...timings });
  return {
    outbox,
    customerMail: new CustomerMail(ds, outbox),
    start: () => outbox.start(),
    stop: () => outbox.stop(),
  };
}
