// The customer deciding through a mail's link is journaled as theirs with `channel: 'link'`; an
// agent's reply to the customer is a comment marked as sent to them. Same rules as ever otherwise.
import t from 'tap';
import { decide } from '../../../src/tickets/lifecycle';
import { ANNA, SYSTEM, ctx, givenIn, ok } from './ticket-fixture';

t.test('a decision through a link is the customer’s, journaled with channel link, by the service', async (t) => {
  const completed = givenIn('completed');
  const confirm = ok(decide({ type: 'confirm', comment: null, channel: 'link' }, completed, ctx({ actor: SYSTEM })));
  t.match(confirm.events[0], { kind: 'customer_decision', onBehalfOf: 'customer', data: { decision: 'confirmed', channel: 'link', relayedBy: null } });
  t.equal(confirm.next.status, 'closed');
  const reopen = ok(decide({ type: 'reopen', comment: 'Не работает', channel: 'link' }, completed, ctx({ actor: SYSTEM })));
  t.match(reopen.events[0], { data: { decision: 'disagreed', comment: 'Не работает', channel: 'link' } });
  const withdraw = ok(decide({ type: 'withdraw', channel: 'link' }, givenIn('registered'), ctx({ actor: SYSTEM })));
  t.match(withdraw.events[0], { data: { decision: 'withdrew', channel: 'link' } });
  const relayed = ok(decide({ type: 'confirm' }, completed, ctx({ actor: ANNA })));
  t.notOk('channel' in relayed.events[0].data, 'a decision an agent relays has no channel');
});

t.test('a disagreement through a link still needs its reason (R8)', async (t) => {
  const d = decide({ type: 'reopen', comment: '  ', channel: 'link' }, givenIn('completed'), ctx({ actor: SYSTEM }));
  t.notOk(d.ok);
});

t.test('a reply to the customer is a comment marked as sent to them', async (t) => {
  const reply = ok(decide({ type: 'comment', text: 'Ответ', toCustomer: true }, givenIn('in_progress'), ctx({ actor: ANNA })));
  t.same(reply.events[0].data, { text: 'Ответ', toCustomer: true });
  const note = ok(decide({ type: 'comment', text: 'Заметка' }, givenIn('in_progress'), ctx({ actor: ANNA })));
  t.same(note.events[0].data, { text: 'Заметка' }, 'an ordinary comment is unchanged');
});
