// An admin action and its audit line are one: the line is written in the change's transaction.
// Failures are made by the real database (triggers in the test's own database), not mocks: when the
// audit line cannot be written the change is not made, and a change that fails leaves no line.
import pg from 'pg';
import t from 'tap';
import { buildTestApp } from '../../helpers/app';

async function database(t: { teardown(fn: () => unknown): void }, url: string): Promise<pg.Client> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  t.teardown(() => sql.end());
  return sql;
}

/** Makes every insert into `table` fail while `on`; names the trigger after the table. */
async function refuseInserts(sql: pg.Client, table: string, on: boolean): Promise<void> {
  if (!on) {
    await sql.query(`DROP TRIGGER IF EXISTS refuse_${table} ON ${table}`);
    return;
  }
  await sql.query(`CREATE OR REPLACE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
  await sql.query(`CREATE TRIGGER refuse_${table} BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_row()`);
}

const auditLines = async (sql: pg.Client, action: string, target: string | null = null) =>
  (await sql.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND ($2::text IS NULL OR target_id::text = $2)`, [action, target])).rows[0].n as number;

t.test('an admin action whose audit line cannot be written is not made', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const sql = await database(t, h.db.url);
  const boss = await h.agent('boss', null, 'supervisor');
  const victim = await h.agent('victim', null, 'agent');
  const contact = (await h.request('POST', '/api/contacts', h.adminToken, { name: 'Анна Секретова' })).body;
  const blocked = (await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550199', reason: 'spam' })).body;
  const before = (await sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;

  await refuseInserts(sql, 'audit_log', true);
  t.equal((await h.request('POST', '/api/agents', h.adminToken, { login: 'ghost', password: 'first-password-1' })).status, 500, 'creating an agent fails');
  t.equal((await sql.query(`SELECT count(*)::int AS n FROM agent WHERE login = 'ghost'`)).rows[0].n, 0, 'and no account was made');
  t.equal((await h.request('PATCH', `/api/agents/${victim.id}`, h.adminToken, { role: 'admin' })).status, 500, 'changing an agent fails');
  t.equal((await sql.query(`SELECT role FROM agent WHERE id = $1`, [victim.id])).rows[0].role, 'agent', 'and the role is as it was');
  t.equal((await h.request('PATCH', `/api/agents/${victim.id}`, h.adminToken, { active: false })).status, 500, 'disabling an agent fails');
  t.equal((await h.request('GET', '/api/tickets', victim.token)).status, 200, 'and their session still works');
  t.equal((await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550198', reason: 'spam' })).status, 500, 'blocking a number fails');
  t.equal((await sql.query(`SELECT count(*)::int AS n FROM blocked_numbers WHERE number = '+79115550198'`)).rows[0].n, 0, 'and the number is not blocked');
  t.equal((await h.request('DELETE', `/api/blocked-numbers/${blocked.id}`, boss.token)).status, 500, 'unblocking fails');
  t.equal((await sql.query(`SELECT count(*)::int AS n FROM blocked_numbers WHERE id = $1`, [blocked.id])).rows[0].n, 1, 'and the number stays blocked');
  t.equal((await h.request('POST', `/api/contacts/${contact.id}/erase`, h.adminToken)).status, 500, 'erasing a contact fails');
  t.equal((await h.request('GET', `/api/contacts/${contact.id}`, h.adminToken)).body.name, 'Анна Секретова', 'and their data is still there');
  await refuseInserts(sql, 'audit_log', false);
  t.equal((await sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n, before, 'nothing was audited meanwhile');

  // Each action, now possible, has exactly its own line.
  const ghost = await h.request('POST', '/api/agents', h.adminToken, { login: 'ghost', password: 'first-password-1' });
  t.equal(ghost.status, 201);
  t.equal(await auditLines(sql, 'agent.created', ghost.body.id), 1, 'the created agent is audited once');
  t.equal((await h.request('PATCH', `/api/agents/${victim.id}`, h.adminToken, { role: 'supervisor' })).status, 200);
  t.equal(await auditLines(sql, 'agent.changed', victim.id), 1, 'the changed agent is audited once');
  const again = await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550198', reason: 'spam' });
  t.equal(again.status, 201);
  t.equal(await auditLines(sql, 'number.blocked', again.body.id), 1, 'the block is audited once');
  t.equal((await h.request('DELETE', `/api/blocked-numbers/${blocked.id}`, boss.token)).status, 204);
  t.equal(await auditLines(sql, 'number.unblocked', blocked.id), 1, 'the unblock is audited once');
  t.equal((await h.request('POST', `/api/contacts/${contact.id}/erase`, h.adminToken)).status, 200);
  t.equal(await auditLines(sql, 'contact.erased', contact.id), 1, 'the erasure is audited once');
});

t.test('an admin action that fails leaves no line in the audit trail', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const sql = await database(t, h.db.url);
  const boss = await h.agent('boss', null, 'supervisor');
  const victim = await h.agent('victim', null, 'agent');
  const contactId = (await h.request('POST', '/api/contacts', h.adminToken, { name: 'Анна Секретова' })).body.id;
  const blocked = (await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550199', reason: 'spam' })).body;
  const before = (await sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;

  // The changes themselves are refused by the database, after the statements the service runs first.
  for (const table of ['agent', 'blocked_numbers', 'contact']) await refuseInserts(sql, table, true);
  t.equal((await h.request('POST', '/api/agents', h.adminToken, { login: 'ghost', password: 'first-password-1' })).status, 500);
  t.equal((await h.request('PATCH', `/api/agents/${victim.id}`, h.adminToken, { role: 'admin' })).status, 500);
  t.equal((await h.request('POST', '/api/blocked-numbers', boss.token, { number: '+79115550198', reason: 'spam' })).status, 500);
  t.equal((await h.request('DELETE', `/api/blocked-numbers/${blocked.id}`, boss.token)).status, 500);
  t.equal((await h.request('POST', `/api/contacts/${contactId}/erase`, h.adminToken)).status, 500);
  t.equal((await sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n, before, 'no failed action is in the trail');
  const trail = await h.request('GET', '/api/audit', h.adminToken);
  t.notOk(
    trail.body.items.some((e: any) => e.targetId === contactId || (e.targetId === blocked.id && e.action === 'number.unblocked') || e.details?.login === 'ghost'),
    'nor does the trail an admin reads show any',
  );
});
