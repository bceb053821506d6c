// A service reading a real Dovecot mailbox, and what the mail tests look at.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { buildApp, type AppOptions, type CalldeskApp } from '../../../src/app';
import type { MailOptions } from '../../../src/mail-wiring';
import type { IntakeMessage } from '../../../src/services/mail-intake-service';
import { buildTestApp, type TestApp } from '../../helpers/app';
import { testConfig } from '../../helpers/config';
import { startDovecot, type Dovecot } from '../../helpers/dovecot';

export const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, '../../fixtures/mail', name));

export const MAIL_FROM = 'Поддержка <support@example.ru>';

export interface MailDesk {
  h: TestApp;
  dv: Dovecot;
  /** What the outbox was told: new requests and replies, in order. */
  told: { kind: 'new' | 'reply'; ticketId: string; message: IntakeMessage }[];
}

type T = { teardown(fn: () => unknown): void };

export function mailOptions(told: MailDesk['told'], extra: MailOptions = {}): MailOptions {
  return {
    pollMs: 60_000, // IDLE is what tells of new mail in these tests; the poll is the fallback
    onNewRequest: (ticketId, message) => void told.push({ kind: 'new', ticketId, message }),
    onReply: (ticketId, message) => void told.push({ kind: 'reply', ticketId, message }),
    ...extra,
  };
}

export async function mailDesk(t: T, extra: MailOptions = {}, dv?: Dovecot, logger?: AppOptions['logger']): Promise<MailDesk> {
  const mailbox = dv ?? (await startDovecot(t));
  const told: MailDesk['told'] = [];
  const h = await buildTestApp(t, { config: { mailImapUrl: mailbox.url, mailFrom: MAIL_FROM }, appOptions: { mail: mailOptions(told, extra) }, logger });
  await h.app.startIngest();
  return { h, dv: mailbox, told };
}

/** Another service process on the same database and mailbox (a restart). */
export async function restarted(t: T, first: TestApp, dv: Dovecot, told: MailDesk['told'], extra: MailOptions = {}): Promise<CalldeskApp> {
  const app = await buildApp({
    config: testConfig([], { mailImapUrl: dv.url, mailFrom: MAIL_FROM }),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    databaseUrl: first.db.url,
    mail: mailOptions(told, extra),
  });
  t.teardown(() => app.close());
  await app.startIngest();
  return app;
}

export async function tickets(h: TestApp, view = 'open'): Promise<any[]> {
  const res = await h.request('GET', `/api/tickets?view=${view}&limit=200`, h.adminToken);
  if (res.status !== 200) throw new Error(`list: ${res.status}`);
  return res.body.items;
}

export async function mailRows(h: { ds: CalldeskApp['ds'] } | TestApp): Promise<{ uid: number; message_id: string; outcome: string; ticket_id: string | null; reason: string | null; raw: Buffer }[]> {
  const ds = 'app' in h ? h.app.ds : h.ds;
  return ds.query(`SELECT uid::int, message_id, outcome, ticket_id, reason, raw FROM mail_message ORDER BY received_at, uid`);
}
