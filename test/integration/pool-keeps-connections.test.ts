// The service's pool keeps its PostgreSQL connections when they sit idle. A new connection is a new
// backend: its first full-text search loads the text-search dictionaries (60–70 ms on the bench's
// machine) and its first statements load the tables' catalog entries; pg's pool closes an idle
// connection after 10 s by default, so after every quiet spell the next user paid that again.
import t from 'tap';
import type pg from 'pg';
import { migratedDatabase } from '../helpers/db';

t.test('an idle pooled connection is kept, so a search after a quiet spell finds a warm backend', async (t) => {
  const { ds } = await migratedDatabase(t);
  const pool = (ds.driver as unknown as { master: pg.Pool & { options: { idleTimeoutMillis?: number } } }).master;
  t.equal(pool.options.idleTimeoutMillis, 0, 'no idle timeout (pg closes idle connections after 10 s unless told otherwise)');
  const [{ pid: first }] = await ds.query(`SELECT pg_backend_pid() AS pid FROM (SELECT to_tsvector('russian', 'печати')) w`);
  const [{ pid: again }] = await ds.query(`SELECT pg_backend_pid() AS pid`);
  t.equal(again, first, 'the same backend, dictionaries loaded, answers the next query');
});
