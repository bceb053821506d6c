// Who may do what (docs/requests.md) through HTTP: agents read everything, work the drafts of calls they
// answered and the requests assigned to them, and relay any customer's decision; supervisors (and
// admins) change everything and assign.
import t from 'tap';
import { expectAccess, ticketRouteCalls, withVersion, type AccessRow, type RouteCall } from './access';
import { completed, desk, getTicket, insertCall, registered, type Desk, type Person } from './fixture';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function world(h: Desk) {
  const mine = await registered(h, h.ivanov);
  const shot = await fetch(`${h.url}/api/tickets/${mine.id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.ivanov.token}` },
    body: new Uint8Array(PNG),
  }).then((r) => r.json());
  const petrovsCall = await insertCall(h, { answeredBy: h.petrov });
  return { mine, shot, petrovsCall };
}

const byName = (calls: RouteCall[], statuses: Record<string, number>, who: Person | null): AccessRow[] =>
  calls.map((call) => {
    if (!(call.name in statuses)) throw new Error(`no expected status for ${call.name}`);
    return { who, call, status: statuses[call.name] };
  });

t.test('every ticket route needs a session', async (t) => {
  const h = await desk(t);
  const w = await world(h);
  const calls = ticketRouteCalls(h, { ticketId: w.mine.id, callId: w.petrovsCall.callId, attachmentId: w.shot.id });
  await expectAccess(t, h, calls.map((call) => ({ who: null, call, status: 401 })));
  t.equal((await getTicket(h, w.mine.id)).version, w.mine.version, 'nothing changed');
});

t.test('an agent reads any request and relays its customer, but does not work someone else’s', async (t) => {
  const h = await desk(t);
  const w = await world(h);
  const calls = ticketRouteCalls(h, { ticketId: w.mine.id, callId: w.petrovsCall.callId, attachmentId: w.shot.id });
  await expectAccess(t, h, byName(calls, {
    list: 200,
    read: 200,
    create: 201,
    'edit fields': 403,
    transition: 403, // start work on Ivanov's request
    'number told': 403,
    comment: 200,
    'customer contact': 409, // allowed, but the request is not completed yet
    'link call': 200, // Petrov's own call, about Ivanov's request
    'attach screenshot': 403,
    'list screenshots': 200,
    'download screenshot': 200,
  }, h.petrov));

  // Customer decisions on any request: disagreement, contact, confirmation, withdrawal.
  const done = await completed(h, h.ivanov);
  const path = `/api/tickets/${done.id}`;
  await expectAccess(t, h, [
    { who: h.petrov, call: { name: 'customer contact', method: 'POST', path: `${path}/customer-contact`, body: { comment: 'Проверяют' } }, status: 200 },
    { who: h.petrov, call: { name: 'reopen (R8)', method: 'POST', path: `${path}/transitions`, body: { to: 'in_progress', comment: 'Не работает' } }, status: 200 },
    { who: h.petrov, call: { name: 'complete', method: 'POST', path: `${path}/transitions`, body: { to: 'completed', solution: 'x' } }, status: 403 },
    { who: h.ivanov, call: { name: 'complete', method: 'POST', path: `${path}/transitions`, body: { to: 'completed', solution: 'Исправлено' } }, status: 200 },
    { who: h.petrov, call: { name: 'confirm (R9)', method: 'POST', path: `${path}/transitions`, body: { to: 'closed', reason: 'confirmed' } }, status: 200 },
    { who: h.petrov, call: { name: 'withdraw (R11)', method: 'POST', path: `/api/tickets/${w.mine.id}/transitions`, body: { to: 'closed', reason: 'withdrawn' } }, status: 200 },
  ]);
});

t.test('agents work drafts of calls they answered; supervisors assign the rest', async (t) => {
  const h = await desk(t);
  const { draftId } = await insertCall(h, { answeredBy: h.petrov });
  const missed = await insertCall(h, { answeredBy: null });
  const edit = (id: string, fields: Record<string, unknown>): RouteCall => ({ name: `edit ${JSON.stringify(fields)}`, method: 'PATCH', path: `/api/tickets/${id}`, body: withVersion(h, id, fields) });
  await expectAccess(t, h, [
    { who: h.ivanov, call: edit(draftId!, { description: 'чужой черновик' }), status: 403 },
    { who: h.petrov, call: edit(draftId!, { description: 'Не печатает' }), status: 200 },
    { who: h.petrov, call: edit(draftId!, { assignees: [h.ivanov.id] }), status: 403 }, // agents do not assign
    { who: h.ivanov, call: edit(missed.draftId!, { description: 'перезвонить' }), status: 403 }, // nobody answered: nobody's yet
    { who: h.boss, call: edit(missed.draftId!, { assignees: [h.ivanov.id] }), status: 200 },
    { who: h.ivanov, call: edit(missed.draftId!, { description: 'Перезвонил, не печатает' }), status: 200 },
    { who: h.ivanov, call: { name: 'register', method: 'POST', path: `/api/tickets/${missed.draftId}/transitions`, body: { to: 'registered' } }, status: 200 },
    { who: h.petrov, call: { name: 'discard own', method: 'POST', path: `/api/tickets/${draftId}/transitions`, body: { to: 'discarded', reason: 'test' } }, status: 200 },
  ]);
});

t.test('supervisors assign and change everything; admins have supervisor rights', async (t) => {
  const h = await desk(t);
  const w = await world(h);
  const id = w.mine.id;
  const admin: Person = { id: '', token: h.adminToken, login: 'admin' };
  const edit = (fields: Record<string, unknown>): RouteCall => ({ name: `edit ${Object.keys(fields)}`, method: 'PATCH', path: `/api/tickets/${id}`, body: withVersion(h, id, fields) });
  const move = (body: Record<string, unknown>): RouteCall => ({ name: `to ${body.to}`, method: 'POST', path: `/api/tickets/${id}/transitions`, body });
  await expectAccess(t, h, [
    { who: h.ivanov, call: edit({ assignees: [h.ivanov.id, h.petrov.id] }), status: 403 },
    { who: h.boss, call: edit({ assignees: [h.ivanov.id, h.petrov.id] }), status: 200 },
    { who: h.petrov, call: edit({ technicalDetails: 'теперь и мой' }), status: 200 },
    { who: h.boss, call: edit({ priority: 'critical' }), status: 200 },
    { who: h.boss, call: { name: 'number told', method: 'POST', path: `/api/tickets/${id}/number-told`, body: {} }, status: 200 },
    { who: h.boss, call: { name: 'screenshot', method: 'POST', path: `/api/tickets/${id}/attachments`, raw: PNG }, status: 201 },
    { who: admin, call: edit({ assignees: [h.petrov.id] }), status: 200 },
    { who: h.ivanov, call: move({ to: 'in_progress' }), status: 403 }, // no longer assigned
    { who: admin, call: move({ to: 'in_progress' }), status: 200 },
    { who: h.boss, call: move({ to: 'closed', reason: 'no_reply' }), status: 403 }, // R10 is the service's alone
    { who: h.boss, call: move({ to: 'closed', reason: 'error' }), status: 200 },
  ]);
  const journal = (await getTicket(h, id)).journal;
  t.match(journal.filter((e: any) => e.kind === 'field_changed' && e.data.field === 'assignees'), [
    { actor: { login: 'boss' }, data: { from: [h.ivanov.id], to: [h.ivanov.id, h.petrov.id] } },
    { actor: { login: 'admin' }, data: { from: [h.ivanov.id, h.petrov.id], to: [h.petrov.id] } },
  ], 'assignments are journaled with who made them');
});
