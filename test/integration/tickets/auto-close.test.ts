// R10 through the API: a completed request closes itself at 20:00 Moscow time of the 5th business
// day after the day of completion (never before), a customer contact restarts the count, and the
// real job queue does it once even with two instances on one database.
import t from 'tap';
import pino from 'pino';
import { buildApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { AUTO_CLOSE_JOB } from '../../../src/jobs/auto-close';
import { desk, getTicket, insertCall, journalOf, move, moveAll, registered, type Desk } from './fixture';
import { waitFor } from '../../helpers/wait';

/** Runs the service's commands at `iso` (Moscow offsets written out, so the dates read as in the regulation). */
const at = (h: Desk, iso: string) => {
  const fixed = new Date(iso);
  h.app.tickets.clock = () => fixed;
};

async function completeAt(h: Desk, iso: string): Promise<any> {
  at(h, iso);
  const r = await registered(h, h.ivanov);
  return moveAll(h, h.ivanov, r.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Решение отправлено клиенту' }]);
}

const ms = (iso: string, delta = 0) => new Date(new Date(iso).getTime() + delta);

t.test('R10: a completed request closes itself at 20:00 of the 5th business day, not before', async (t) => {
  const h = await desk(t);
  // Tue 30 Dec 2025: 31 Dec and 1–11 Jan 2026 are days off; the 5th business day is Fri 16 Jan.
  const r = await completeAt(h, '2025-12-30T15:00:00+03:00');
  t.equal(r.number, '2025-000001', 'numbered in the year of registration');
  const due = '2026-01-16T17:00:00.000Z';
  t.equal(r.autoCloseAt, due, 'the deadline is on the request');

  t.same(await h.app.autoCloser.sweep(ms(due, -1)), [], 'one millisecond early: still waiting');
  t.equal((await getTicket(h, r.id)).status, 'completed');
  t.same(await h.app.autoCloser.sweep(ms(due)), [r.id], 'closed at 20:00 Moscow time');
  t.same(await h.app.autoCloser.sweep(ms(due, 60_000)), [], 'once');

  const closed = await getTicket(h, r.id);
  t.equal(closed.status, 'closed');
  t.equal(closed.closeReason, 'no_reply');
  t.equal(closed.closedAt, due);
  t.equal(closed.autoCloseAt, null);
  const last = closed.journal.at(-1);
  t.match(last, { kind: 'status_changed', actor: null, onBehalfOf: null, at: due, data: { from: 'completed', to: 'closed', closeReason: 'no_reply', autoCloseAt: due } });
  t.equal(closed.journal.filter((e: any) => e.data.closeReason === 'no_reply').length, 1);
});

t.test('R10: the deadline follows the production calendar (working Saturday, late completion)', async (t) => {
  const h = await desk(t);
  // Fri 31 Oct 2025: Sat 1 Nov works, Mon 3 and Tue 4 Nov are off → Mon 10 Nov.
  const october = await completeAt(h, '2025-10-31T14:00:00+03:00');
  t.equal(october.autoCloseAt, '2025-11-10T17:00:00.000Z');
  // Completed after hours on Mon 2 Mar 2026: that day still does not count; 7–9 Mar are off → Tue 10 Mar.
  const late = await completeAt(h, '2026-03-02T21:30:00+03:00');
  t.equal(late.autoCloseAt, '2026-03-10T17:00:00.000Z');
  // Completed on a day off (Sat 7 Mar 2026): counting starts from the next business day.
  const weekend = await completeAt(h, '2026-03-07T11:00:00+03:00');
  t.equal(weekend.autoCloseAt, '2026-03-16T17:00:00.000Z');

  const swept = await h.app.autoCloser.sweep(new Date('2026-03-10T17:00:00.000Z'));
  t.same(swept.sort(), [october.id, late.id].sort(), 'the due ones, not the one due on the 16th');
});

t.test('R10: a customer contact that is neither confirmation nor disagreement restarts the count', async (t) => {
  const h = await desk(t);
  const r = await completeAt(h, '2026-03-02T10:00:00+03:00');
  t.equal(r.autoCloseAt, '2026-03-10T17:00:00.000Z');
  const { callId } = await insertCall(h, { answeredBy: h.petrov, draft: false });

  at(h, '2026-03-05T12:00:00+03:00');
  const contact = await h.request('POST', `/api/tickets/${r.id}/customer-contact`, h.petrov.token, { comment: 'Ещё проверяют', callId });
  t.equal(contact.status, 200);
  t.equal(contact.body.status, 'completed');
  t.equal(contact.body.autoCloseAt, '2026-03-13T17:00:00.000Z', 'five business days from the contact');
  t.match((await journalOf(h, r.id)).at(-1), {
    kind: 'customer_decision',
    onBehalfOf: 'customer',
    actor: { id: h.petrov.id },
    callId,
    at: '2026-03-05T09:00:00.000Z',
    data: { decision: 'contacted', comment: 'Ещё проверяют', relayedBy: h.petrov.id, autoCloseAt: '2026-03-13T17:00:00.000Z' },
  });

  t.same(await h.app.autoCloser.sweep(new Date('2026-03-10T17:00:00.000Z')), [], 'the old deadline no longer closes it');
  t.same(await h.app.autoCloser.sweep(ms('2026-03-13T17:00:00.000Z', -1)), []);
  t.same(await h.app.autoCloser.sweep(new Date('2026-03-13T17:00:00.000Z')), [r.id]);

  const open = await registered(h, h.ivanov);
  const notCompleted = await h.request('POST', `/api/tickets/${open.id}/customer-contact`, h.petrov.token, {});
  t.equal(notCompleted.status, 409, 'only a completed request waits for the customer');
  const closed = await h.request('POST', `/api/tickets/${r.id}/customer-contact`, h.petrov.token, {});
  t.equal(closed.status, 409);
});

t.test('R10: a disagreement stops the count; the next completion starts a new one', async (t) => {
  const h = await desk(t);
  const r = await completeAt(h, '2026-03-02T10:00:00+03:00');
  at(h, '2026-03-04T10:00:00+03:00');
  await move(h, h.petrov, r.id, { to: 'in_progress', comment: 'Не помогло' });
  t.same(await h.app.autoCloser.sweep(new Date('2026-03-10T17:00:00.000Z')), [], 'reopened: nothing to close');
  at(h, '2026-03-06T10:00:00+03:00');
  const again = await move(h, h.ivanov, r.id, { to: 'completed', solution: 'Второе решение' });
  t.equal(again.body.autoCloseAt, '2026-03-16T17:00:00.000Z');
});

t.test('R10: the job queue closes due requests once, also with two instances on one database', async (t) => {
  const h = await desk(t);
  const schedules = await h.app.ds.query(`SELECT name, cron FROM pgboss.schedule WHERE name = $1`, [AUTO_CLOSE_JOB]);
  t.same(schedules, [{ name: AUTO_CLOSE_JOB, cron: '* * * * *' }], 'the sweep is scheduled every minute');

  // A second instance of the service on the same database (its own pool, HTTP and job worker).
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', pbx: [] };
  const other = await buildApp({ config, logger: pino({ level: 'silent' }), databaseUrl: h.db.url, connectPbx: false });
  t.teardown(() => other.close());

  const due: any[] = [];
  for (let i = 0; i < 3; i++) due.push(await completeAt(h, '2025-10-31T14:00:00+03:00'));
  const jobId = await h.app.autoCloser.trigger();
  t.ok(jobId, 'a sweep job is queued');
  let statuses: string[] = [];
  await waitFor('the job to close them', async () => {
    statuses = await Promise.all(due.map(async (r) => (await getTicket(h, r.id)).status));
    return statuses.every((s) => s === 'closed');
  }, 20_000, 250).catch(() => undefined); // the assertion says what they are
  t.same(statuses, ['closed', 'closed', 'closed'], 'closed by the job');

  // Both instances sweep at once: each request is closed by exactly one of them.
  const more = [];
  for (let i = 0; i < 4; i++) more.push(await completeAt(h, '2025-10-31T14:00:00+03:00'));
  const now = new Date('2025-11-10T17:00:00.000Z');
  const [a, b] = await Promise.all([h.app.autoCloser.sweep(now), other.autoCloser.sweep(now)]);
  t.same(a.filter((id) => b.includes(id)), [], 'no request closed twice');
  for (const r of [...due, ...more]) {
    const journal = await journalOf(h, r.id);
    t.equal(journal.filter((e) => e.kind === 'status_changed' && e.data.to === 'closed').length, 1, `${r.number} closed once`);
    t.equal((await getTicket(h, r.id)).closeReason, 'no_reply');
  }
});
