// A service that sends mail to a real SMTP receiver, and a request of a customer with an e-mail.
import type { Logger } from 'pino';
import { buildTestApp, type TestApp } from '../../helpers/app';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/smtp';

export const MAIL_FROM = 'Поддержка <support@desk.example.ru>';
export const PUBLIC_URL = 'https://desk.example.ru';

export async function mailingService(
  t: { teardown(fn: () => unknown): void },
  opts: { publicUrl?: string; logger?: Logger; pollMs?: number } = {},
): Promise<{ h: TestApp; smtp: SmtpReceiver }> {
  const smtp = await startSmtpReceiver(t);
  const h = await buildTestApp(t, {
    connectPbx: false,
    config: { mailSmtpUrl: smtp.url, mailFrom: MAIL_FROM, publicUrl: opts.publicUrl ?? PUBLIC_URL },
    mailTimings: { pollMs: opts.pollMs ?? 200, retrySeconds: 0.2, leaseSeconds: 2 },
    logger: opts.logger,
  });
  return { h, smtp };
}

/** A registered request in work, of a customer whose contact has `email` (or none). */
export async function requestOf(h: TestApp, token: string, email: string | null, subject = 'Не печатает чек'): Promise<{ id: string; number: string; contactId: string }> {
  const c = await h.request('POST', '/api/contacts', h.adminToken, { name: 'Мария Петрова', emails: email ? [email] : [] });
  if (c.status !== 201) throw new Error(`contact: ${c.status} ${JSON.stringify(c.body)}`);
  const r = await h.request('POST', '/api/tickets', token, { subject, description: 'Касса не печатает чек после обновления', contactId: c.body.id, register: true, channel: 'email' });
  if (r.status !== 201) throw new Error(`request: ${r.status} ${JSON.stringify(r.body)}`);
  const s = await h.request('POST', `/api/tickets/${r.body.id}/transitions`, token, { to: 'in_progress' });
  if (s.status !== 200) throw new Error(`start: ${s.status} ${JSON.stringify(s.body)}`);
  return { id: r.body.id, number: r.body.number, contactId: c.body.id };
}

/** The links of a mail (`/r/<token>`), by the action they name (`?action=`), or `page` when none. */
export function linksIn(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/https?:\/\/[^\s]+\/r\/[A-Za-z0-9_-]{43}(\?action=(\w+))?/g)) out[m[2] ?? 'page'] = m[0];
  return out;
}

/** Posts the link page's form as a browser would (form-encoded). */
export async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

export async function getPage(url: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, html: await res.text(), headers: res.headers };
}
