// The database's disk is full where attachments and raw mail are kept. An upload is refused with a
// clear error (507, saying what to do), never a 500; the rest of the desk goes on: requests are
// edited, earlier screenshots served. Mail that arrives meanwhile waits in the mailbox (the log
// says why) and is read, once, as soon as there is room again.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { fullDisk } from '../../helpers/full-disk';
import { waitFor } from '../../helpers/wait';
import { capturedLogger } from './service';
import { chaosReport } from '../../helpers/chaos';
import { fixture, mailRows, mailDesk } from '../mail/mail-harness';

const PNG_HEAD = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A PNG by its bytes, padded with noise PostgreSQL cannot compress. */
const png = (bytes: number) => Buffer.concat([PNG_HEAD, randomBytes(bytes)]);

t.test('disk full for attachments and raw mail: a clear error, nothing else breaks, mail read once there is room', async (t) => {
  const { logger, lines } = capturedLogger('info');
  const { h, dv } = await mailDesk(t, {}, undefined, logger);
  await waitFor('the mailbox connected', async () => (await h.request('GET', '/api/health', null)).body.mail?.connected);
  const disk = await fullDisk(t, h.db.url, ['ticket_attachment', 'mail_message', 'mail_attachment']);
  const agent = await h.agent('ivanov', '101');
  const upload = async (ticketId: string, bytes: Buffer) => {
    const res = await fetch(`${h.url}/api/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    return { status: res.status, body: await res.json() };
  };
  const ticket = await h.request('POST', '/api/tickets', agent.token, { description: 'Не печатает принтер', register: true });
  t.equal(ticket.status, 201);
  const before = await upload(ticket.body.id, png(100_000));
  t.equal(before.status, 201, 'a screenshot stored while there is room');

  await disk.fill();
  const refused = await upload(ticket.body.id, png(100_000));
  t.equal(refused.status, 507, 'a screenshot refused: 507');
  t.match(refused.body, { error: 'storage_full', message: /no room left.*free disk space/ }, 'saying what is wrong and what to do');
  t.ok(lines.some((l) => l.includes('the database is out of disk space')), 'the log says the database is out of disk space');

  await dv.deliver(fixture('new-koi8r-thunderbird.eml'));
  await waitFor('the intake to meet the full disk', () => lines.some((l) => l.includes('mail not stored: the database is out of disk space')));
  t.same(await mailRows(h), [], 'the mail is not half-stored');

  const edited = await h.request('PATCH', `/api/tickets/${ticket.body.id}`, agent.token, { version: (await h.request('GET', `/api/tickets/${ticket.body.id}`, agent.token)).body.version, subject: 'Принтер' });
  t.equal(edited.status, 200, 'requests are still edited');
  const list = await h.request('GET', `/api/tickets/${ticket.body.id}/attachments`, agent.token);
  t.equal(list.status, 200, 'screenshots still listed');
  t.equal(list.body.items.length, 1, 'the one stored before');
  t.equal((await fetch(`${h.url}${before.body.url}`, { headers: { authorization: `Bearer ${agent.token}` } })).status, 200, 'and served');

  await disk.free();
  const freedAt = Date.now();
  const rows = await waitFor('the mail read once there is room', async () => {
    const r = await mailRows(h);
    return r.length > 0 && r;
  }, 15_000);
  chaosReport({ scenario: 'disk full (attachments, raw mail)', mails: { in: rows.length, out: 0, duplicates: rows.length - new Set(rows.map((r) => r.message_id)).size }, recoveryMs: Date.now() - freedAt, recovery: 'room again → waiting mail stored' });
  t.equal(rows.length, 1, 'read once');
  t.equal(rows[0].outcome, 'request', 'and made a request');
  t.equal((await upload(ticket.body.id, png(1000))).status, 201, 'screenshots are stored again');
  t.equal((await h.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok');
});
