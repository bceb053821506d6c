// POST /api/tickets/:id/transitions {to, reason?, comment?, solution?} read as lifecycle commands.
import t from 'tap';
import { commandForTransition } from '../../../src/tickets/lifecycle';

t.test('each transitions request maps to the command it means in the current status', async (t) => {
  const cases: Array<[Parameters<typeof commandForTransition>[0], Parameters<typeof commandForTransition>[1], unknown]> = [
    [{ to: 'registered' }, 'draft', { type: 'register' }],
    [{ to: 'in_progress' }, 'registered', { type: 'start' }],
    [{ to: 'in_progress', comment: 'не работает' }, 'completed', { type: 'reopen', comment: 'не работает' }],
    [{ to: 'in_progress' }, 'completed', { type: 'reopen', comment: '' }],
    [{ to: 'completed', solution: 'готово' }, 'in_progress', { type: 'complete', solution: 'готово' }],
    [{ to: 'closed', reason: 'confirmed' }, 'completed', { type: 'confirm', comment: null }],
    [{ to: 'closed', reason: 'withdrawn', comment: 'не нужно' }, 'registered', { type: 'withdraw', comment: 'не нужно' }],
    [{ to: 'closed', reason: 'duplicate' }, 'registered', { type: 'close', reason: 'duplicate', comment: null }],
    [{ to: 'closed', reason: 'error' }, 'in_progress', { type: 'close', reason: 'error', comment: null }],
    [{ to: 'closed', reason: 'no_reply' }, 'completed', { type: 'auto_close' }],
    [{ to: 'discarded', reason: 'test' }, 'draft', { type: 'discard', reason: 'test', comment: null }],
  ];
  for (const [request, status, command] of cases) {
    const r = commandForTransition(request, status);
    t.same(r, { ok: true, command }, `${JSON.stringify(request)} from ${status}`);
  }
});

t.test('a transitions request without its reason or to an unknown status names the field', async (t) => {
  const field = (r: ReturnType<typeof commandForTransition>) => (r.ok ? null : (r.error as { field?: string }).field);
  t.equal(field(commandForTransition({ to: 'closed' }, 'completed')), 'reason');
  t.equal(field(commandForTransition({ to: 'closed', reason: 'test' }, 'completed')), 'reason');
  t.equal(field(commandForTransition({ to: 'discarded', reason: 'confirmed' }, 'draft')), 'reason');
  t.equal(field(commandForTransition({ to: 'archived' }, 'draft')), 'to');
  const back = commandForTransition({ to: 'draft' }, 'registered');
  t.equal(back.ok ? null : back.error.name, 'IllegalTransition');
});
