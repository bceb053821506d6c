// A panel that stops reading its socket (a frozen tab, a link that died without closing) must not
// make the service hold every push for it: past a bound of unread bytes the socket is dropped, the
// panels that read go on getting everything, and a reconnect gets a fresh snapshot.
import t from 'tap';
import { buildTestApp } from '../helpers/app';
import { waitFor } from '../helpers/wait';

t.test('a supervisor socket that stops reading is dropped while one that reads gets every update', async (t) => {
  const h = await buildTestApp(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const frozen = await h.socket(boss.token);
  const reading = await h.socket(boss.token);
  await frozen.next((m) => m.type === 'snapshot');
  await reading.next((m) => m.type === 'snapshot');
  t.equal(h.app.hub.size, 2);
  // The frozen panel reads nothing more: the kernel's buffers fill, then the service's.
  (frozen.ws as any)._socket.pause();

  const made = await h.request('POST', '/api/tickets', boss.token, { description: 'Не печатает принтер' });
  t.equal(made.status, 201);
  const id = made.body.id;
  let version = made.body.version;
  // Every change is pushed to supervisors with the whole request: ~100 KB each here.
  const filler = 'x'.repeat(49_000);
  let edits = 0;
  while (h.app.hub.size === 2 && edits < 600) {
    edits++;
    const res = await h.request('PATCH', `/api/tickets/${id}`, boss.token, { version, description: `правка ${edits} ${filler}`, technicalDetails: filler });
    if (res.status !== 200) {
      t.equal(res.status, 200, `edit ${edits}: ${JSON.stringify(res.body)}`);
      break;
    }
    version = res.body.version;
  }
  t.equal(h.app.hub.size, 1, `the frozen socket was dropped (after ${edits} edits, ~${edits * 100} KB of pushes)`);

  const last = await reading.next((m) => m.type === 'ticket.updated' && m.ticket.description.startsWith(`правка ${edits} `), 10_000);
  t.ok(last, 'the reading panel got the last edit');
  const seen = new Set(reading.messages.filter((m) => m.type === 'ticket.updated').map((m) => m.ticket.description.split(' ')[1]));
  t.equal(Array.from({ length: edits }, (_, i) => String(i + 1)).filter((n) => !seen.has(n)).length, 0, 'and every edit before it');

  (frozen.ws as any)._socket.resume();
  const closed = await frozen.closed;
  t.not(closed.code, 1000, `the frozen panel sees its connection lost (${closed.code}), so it reconnects`);
  const again = await h.socket(boss.token);
  await again.next((m) => m.type === 'snapshot');
  await h.request('PATCH', `/api/tickets/${id}`, boss.token, { version, description: 'после переподключения' });
  await again.next((m) => m.type === 'ticket.updated' && m.ticket.description === 'после переподключения');
  t.pass('the reconnected panel gets the next change');
  await waitFor('two sockets again', async () => h.app.hub.size === 2);
});
