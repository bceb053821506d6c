// What the request API answers to mistakes: illegal transitions (409 with the allowed ones),
// invalid bodies (400 naming the field), unknown ids (404); and edits, comments and caller numbers.
import t from 'tap';
import { desk, entries, getTicket, insertCall, journalOf, move, registered } from './fixture';

t.test('an illegal transition gets 409 listing the allowed ones', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const res = await move(h, h.ivanov, r.id, { to: 'completed', solution: 'готово' });
  t.equal(res.status, 409);
  t.equal(res.body.error, 'illegal_transition');
  t.match(res.body.message, /registered/);
  t.same(
    res.body.allowed.map((a: any) => `${a.command}:${a.to}`),
    ['start:in_progress', 'withdraw:closed', 'close:closed'],
  );
  t.same(res.body.allowed[2].reasons, ['duplicate', 'error']);
  const back = await move(h, h.ivanov, r.id, { to: 'draft' });
  t.equal(back.status, 409);
  t.ok(Array.isArray(back.body.allowed));
  const same = await move(h, h.ivanov, r.id, { to: 'registered' });
  t.equal(same.status, 409);
  t.equal((await getTicket(h, r.id)).version, r.version, 'a refused command changes nothing');
});

t.test('invalid bodies get 400 naming the field', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const cases: [string, string, unknown, string][] = [
    ['POST', `/api/tickets/${r.id}/transitions`, { to: 'done' }, 'to'],
    ['POST', `/api/tickets/${r.id}/transitions`, {}, 'to'],
    ['POST', `/api/tickets/${r.id}/transitions`, { to: 'closed', reason: 'bored' }, 'reason'],
    ['POST', `/api/tickets/${r.id}/transitions`, { to: 'in_progress', version: 'x' }, 'version'],
    ['POST', `/api/tickets/${r.id}/transitions`, { to: 'in_progress', callId: 'not-a-uuid' }, 'callId'],
    ['PATCH', `/api/tickets/${r.id}`, { description: 'x' }, 'version'],
    ['PATCH', `/api/tickets/${r.id}`, { version: 1, priority: 'urgent' }, 'priority'],
    ['PATCH', `/api/tickets/${r.id}`, { version: 1, number: '2026-000009' }, 'number'],
    ['PATCH', `/api/tickets/${r.id}`, { version: 1, subject: 'x'.repeat(501) }, 'subject'],
    ['PATCH', `/api/tickets/${r.id}`, { version: r.version, description: '   ' }, 'description'],
    ['PATCH', `/api/tickets/${r.id}`, { version: 1, assignees: [] }, 'assignees'],
    ['POST', '/api/tickets', { description: { text: 'x' } }, 'description'],
    ['POST', '/api/tickets', { callIds: ['nope'] }, 'callIds.0'],
    ['POST', '/api/tickets', { callIds: ['6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f'] }, 'callIds'],
    ['POST', '/api/tickets', { parentId: '6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f' }, 'parentId'],
    ['POST', '/api/tickets', { status: 'closed' }, 'status'],
    ['POST', `/api/tickets/${r.id}/comments`, { text: '' }, 'text'],
    ['POST', `/api/tickets/${r.id}/comments`, { text: '   ' }, 'text'],
    ['POST', `/api/tickets/${r.id}/calls`, {}, 'callId'],
    ['POST', `/api/tickets/${r.id}/calls`, { callId: '6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f' }, 'callId'],
    ['GET', '/api/tickets?priority=urgent', undefined, 'priority'],
    ['GET', '/api/tickets?limit=0', undefined, 'limit'],
    ['GET', '/api/tickets?since=yesterday', undefined, 'since'],
    ['GET', '/api/tickets?cursor=garbage', undefined, 'cursor'],
    ['GET', '/api/tickets/not-a-uuid', undefined, 'id'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await h.request(method, path, h.ivanov.token, body);
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → 400`);
    t.equal(res.body?.error, 'bad_request');
    t.equal(res.body?.field, field, `names ${field}: ${res.body?.message}`);
  }
  const malformed = await fetch(`${h.url}/api/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.ivanov.token}`, 'content-type': 'application/json' },
    body: '{"description": ',
  });
  t.equal(malformed.status, 400, 'broken JSON is a 400, not a crash');
  t.equal((await getTicket(h, r.id)).version, r.version, 'nothing changed');
});

t.test('unknown ids get 404', async (t) => {
  const h = await desk(t);
  const ghost = '6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f';
  const { callId } = await insertCall(h, { answeredBy: h.ivanov, draft: false });
  const cases: [string, string, unknown][] = [
    ['GET', `/api/tickets/${ghost}`, undefined],
    ['PATCH', `/api/tickets/${ghost}`, { version: 1, description: 'x' }],
    ['POST', `/api/tickets/${ghost}/transitions`, { to: 'in_progress' }],
    ['POST', `/api/tickets/${ghost}/number-told`, {}],
    ['POST', `/api/tickets/${ghost}/comments`, { text: 'x' }],
    ['POST', `/api/tickets/${ghost}/customer-contact`, {}],
    ['POST', `/api/tickets/${ghost}/calls`, { callId }],
  ];
  for (const [method, path, body] of cases) {
    const res = await h.request(method, path, h.boss.token, body);
    t.equal(res.status, 404, `${method} ${path}`);
    t.equal(res.body.error, 'not_found');
  }
});

t.test('comments are journaled on registered requests, not on drafts', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const { callId } = await insertCall(h, { answeredBy: h.petrov, draft: false });
  const res = await h.request('POST', `/api/tickets/${r.id}/comments`, h.petrov.token, { text: 'Перезвонил клиенту', callId });
  t.equal(res.status, 200);
  t.match((await journalOf(h, r.id)).at(-1), { kind: 'comment', actor: { id: h.petrov.id }, callId, data: { text: 'Перезвонил клиенту' } });
  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { description: 'черновик' });
  const onDraft = await h.request('POST', `/api/tickets/${draft.body.id}/comments`, h.ivanov.token, { text: 'заметка' });
  t.equal(onDraft.status, 409, 'a draft’s notes go into its description');
});

t.test('R6: every change after registration is journaled with old and new values', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov, { subject: 'Склад' });
  const edit = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, {
    version: r.version,
    subject: 'Склад и касса',
    priority: 'high',
    technicalDetails: 'ORA-01017',
  });
  t.equal(edit.status, 200);
  t.equal(edit.body.version, r.version + 1);
  const assign = await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: edit.body.version, assignees: [h.ivanov.id, h.petrov.id] });
  t.equal(assign.status, 200);
  t.same(assign.body.assignees, [h.ivanov.id, h.petrov.id], 'one or more assignees');
  const changes = await entries(h, r.id, 'field_changed');
  t.match(changes, [
    { actor: { id: h.ivanov.id }, data: { field: 'subject', from: 'Склад', to: 'Склад и касса' } },
    { actor: { id: h.ivanov.id }, data: { field: 'technicalDetails', from: '', to: 'ORA-01017' } },
    { actor: { id: h.ivanov.id }, data: { field: 'priority', from: 'normal', to: 'high' } },
    { actor: { id: h.boss.id }, data: { field: 'assignees', from: [h.ivanov.id], to: [h.ivanov.id, h.petrov.id] } },
  ]);
  const noop = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: assign.body.version, priority: 'high' });
  t.equal(noop.status, 200);
  t.equal(noop.body.version, assign.body.version, 'no change, no new version');
  t.equal((await entries(h, r.id, 'field_changed')).length, 4, 'and no entry');
  const unknown = await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: assign.body.version, assignees: ['6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f'] });
  t.equal(unknown.status, 400);
  t.equal(unknown.body.field, 'assignees');
});

t.test('a caller number typed in any Russian form is stored in E.164 and found by the filter', async (t) => {
  const h = await desk(t);
  const typed = await registered(h, h.ivanov, { callerNumber: '8 (921) 333-44-55' });
  t.equal(typed.callerNumber, '+79213334455');
  const found = await h.request('GET', `/api/tickets?callerNumber=${encodeURIComponent('+7 921 333 44 55')}`, h.ivanov.token);
  t.same(found.body.items.map((i: any) => i.id), [typed.id]);
  const bad = await h.request('POST', '/api/tickets', h.ivanov.token, { callerNumber: 'позвонить Ивану', description: 'x' });
  t.equal(bad.status, 400);
  t.equal(bad.body.field, 'callerNumber');
  const none = await h.request('POST', '/api/tickets', h.ivanov.token, { callerNumber: null, description: 'x' });
  t.equal(none.status, 201);
  t.equal(none.body.callerNumber, null);
});
