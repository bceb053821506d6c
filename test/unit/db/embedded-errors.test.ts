// What a user reads when the embedded PostgreSQL cannot start for want of disk or permission:
// the reason in words and what to do, never a bare error code. (A full disk cannot be made on
// demand on a test machine; the service's own output for it is what these messages are.)
import t from 'tap';
import { fsProblem, serverProblem } from '../../../src/db/embedded-errors';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

t.test('a full disk while PostgreSQL writes: says the disk is full and where to go instead', async (t) => {
  const out = '2026-12-05 10:00:00.000 UTC [123] FATAL:  could not write to file "pg_wal/xlogtemp.123": No space left on device\n';
  const err = serverProblem(out, '/var/lib/calldesk/abc/pg', 'starting PostgreSQL');
  t.match(err.message, /the disk holding \/var\/lib\/calldesk\/abc\/pg is full/);
  t.match(err.message, /What to do: free some space there, or set DATA_DIR to another directory, or DATABASE_URL/);
});

t.test('a full disk while copying the programs or creating the data: the same words', async (t) => {
  const err = fsProblem(errno('ENOSPC', 'ENOSPC: no space left on device, write'), '/var/lib/calldesk/postgresql-17', 'copy the PostgreSQL programs to');
  t.match(err.message, /the disk holding \/var\/lib\/calldesk\/postgresql-17 is full.*DATA_DIR/);
  t.notMatch(err.message, /ENOSPC/);
});

t.test('PostgreSQL refused its own files: says so, and how to go on', async (t) => {
  const out = 'FATAL:  could not open file "global/pg_filenode.map": Permission denied\n';
  const err = serverProblem(out, '/srv/calldesk/pg', 'starting PostgreSQL');
  t.match(err.message, /PostgreSQL was refused access to its files \(could not open file "global\/pg_filenode\.map": Permission denied\)/);
  t.match(err.message, /make \/srv\/calldesk\/pg belong to the user PostgreSQL runs as, run calldesk as an ordinary user, or set DATA_DIR/);
});

t.test('a read-only place: says it is read-only', async (t) => {
  const err = fsProblem(errno('EROFS', 'EROFS: read-only file system, mkdir'), '/usr/share/calldesk/var', 'create the data directory');
  t.match(err.message, /could not create the data directory \/usr\/share\/calldesk\/var: it is on a read-only file system/);
  t.notMatch(err.message, /EROFS/);
});
