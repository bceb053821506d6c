import t from 'tap';
import { looksLikeToken, newToken, tokenHash } from '../../../src/links/tokens';
import { linkState } from '../../../src/links/validity';
import { redactUrl } from '../../../src/logger';

t.test('a token is 256 random bits, URL-safe, and stored as its SHA-256 only', async (t) => {
  const a = newToken();
  t.ok(looksLikeToken(a));
  t.not(a, newToken());
  t.equal(tokenHash(a).length, 32);
  t.notOk(looksLikeToken('../../etc'));
});

const at = new Date('2026-03-02T10:00:00Z');
const completion = { actions: ['confirm', 'disagree'], completedAt: at, usedAt: null, usedAction: null };

t.test('a completion link offers confirm / disagree while that completion stands', async (t) => {
  t.same(linkState(completion, { status: 'completed', completedAt: at, closedAt: null }, at), { kind: 'open', actions: ['confirm', 'disagree'] });
  t.same(linkState(completion, { status: 'in_progress', completedAt: null, closedAt: null }, at), { kind: 'outdated', status: 'in_progress' });
  const later = new Date(at.getTime() + 86_400_000);
  t.same(linkState(completion, { status: 'completed', completedAt: later, closedAt: null }, later), { kind: 'outdated', status: 'completed' }, 'reopened and completed again: the new notice has its own links');
});

t.test('a link decides once; it shows a page until 30 days after the request closed', async (t) => {
  const closed = { status: 'closed', completedAt: at, closedAt: at };
  t.same(linkState({ ...completion, usedAt: at, usedAction: 'confirm' }, closed, at), { kind: 'used', action: 'confirm' });
  t.same(linkState(completion, closed, new Date(at.getTime() + 29 * 86_400_000)), { kind: 'outdated', status: 'closed' });
  t.same(linkState(completion, closed, new Date(at.getTime() + 31 * 86_400_000)), { kind: 'expired' });
});

t.test('a withdrawal link works while the request is open', async (t) => {
  const w = { actions: ['withdraw'], completedAt: null, usedAt: null, usedAction: null };
  for (const status of ['registered', 'in_progress', 'completed']) t.same(linkState(w, { status, completedAt: null, closedAt: null }, at), { kind: 'open', actions: ['withdraw'] });
});

t.test('a link address is logged without its token', async (t) => {
  t.equal(redactUrl('/r/abcDEF_123-xyz?action=confirm'), '/r/[redacted]?action=confirm');
  t.equal(redactUrl('/api/tickets?token=x'), '/api/tickets?token=[redacted]');
  t.equal(redactUrl('/api/r/x'), '/api/r/x');
});
