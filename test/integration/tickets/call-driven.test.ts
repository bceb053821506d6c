// A change a call makes to a request goes through the same request rules as a person's: a missed
// caller reached by a later call has their waiting draft discarded exactly as a supervisor who
// discards it by hand ("callback_done") would — the same request, the same journal entry.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { serviceWithPbx, type TestApp } from '../../helpers/app';
import { loadScenario, withNumber } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

const MISSED_CALLER = '+79213334455';

/** A service whose PBX has just missed a support-line call: its draft waits for a call back. */
async function missedCall(t: { teardown(fn: () => unknown): void }): Promise<{ peer: AmiPeer; h: TestApp; draftId: string }> {
  const { peer, h } = await serviceWithPbx(t);
  await peer.replay(loadScenario('S3-missed'));
  const waiting = await waitFor('the call-back draft', async () => (await h.request('GET', '/api/tickets?callbackNeeded=true', h.adminToken)).body.items[0]);
  return { peer, h, draftId: waiting.id };
}

/** What a user sees of a discarded draft, without what must differ (ids, times, versions, calls). */
function seen(ticket: any) {
  const { status, discardReason, callbackNeeded, closedAt, closeReason, number, assignees, priority, subject, description } = ticket;
  return {
    ticket: { status, discardReason, callbackNeeded, closedAt, closeReason, number, assignees, priority, subject, description },
    journal: ticket.journal.map((e: any) => ({ kind: e.kind, data: e.data, onBehalfOf: e.onBehalfOf })),
  };
}

t.test('a call back that reaches a missed caller discards their draft exactly as a person discarding it would', async (t) => {
  const byCall = await missedCall(t);
  await byCall.peer.replay(withNumber('S1-answered', '+79111234567', MISSED_CALLER));
  const discardedByCall = await waitFor('the call to discard the draft', async () => {
    const r = await byCall.h.request('GET', `/api/tickets/${byCall.draftId}`, byCall.h.adminToken);
    return r.body.status === 'discarded' && r.body;
  });

  const byPerson = await missedCall(t);
  const res = await byPerson.h.request('POST', `/api/tickets/${byPerson.draftId}/transitions`, byPerson.h.adminToken, { to: 'discarded', reason: 'callback_done' });
  t.equal(res.status, 200, 'the supervisor may discard it');
  const discardedByPerson = (await byPerson.h.request('GET', `/api/tickets/${byPerson.draftId}`, byPerson.h.adminToken)).body;

  t.same(seen(discardedByCall), seen(discardedByPerson), 'the same request and the same journal');
  t.equal(discardedByCall.journal.at(-1).actor, null, 'the call discarded it (no person)');
  t.equal(discardedByCall.journal.at(-1).callId, discardedByCall.callIds.at(-1), 'the entry names the call that reached the caller');
});
