// A database disk that fills up, for real: a small tmpfs mounted as a PostgreSQL tablespace, the
// given tables moved onto it, then filled to the last byte. Writes that need room there fail with
// PostgreSQL's own "could not extend file: No space left on device" (disk_full). Needs root (to
// mount) and a PostgreSQL on this machine (the tablespace is a local directory).
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface FullDisk {
  /** Fills what room is left. */
  fill(): Promise<void>;
  /** Frees the room fill() took. */
  free(): Promise<void>;
}

export async function fullDisk(t: { teardown(fn: () => unknown): void }, databaseUrl: string, tables: string[], size = '2m'): Promise<FullDisk> {
  if (process.getuid?.() !== 0) throw new Error('the disk-full test mounts a tmpfs: run it as root (or in a container as root)');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const dataDir = (await db.query('SHOW data_directory')).rows[0].data_directory as string;
  const owner = await stat(dataDir).catch(() => {
    throw new Error(`the PostgreSQL at ${new URL(databaseUrl).host} must run on this machine (its data directory ${dataDir} is not here)`);
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'calldesk-full-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${size},uid=${owner.uid},gid=${owner.gid},mode=0700`, 'tmpfs', dir]);
  const space = `calldesk_full_${path.basename(dir).replace(/\W/g, '_').toLowerCase()}`;
  const filler = path.join(dir, 'filler');
  t.teardown(async () => {
    for (const table of tables) await db.query(`ALTER TABLE ${table} SET TABLESPACE pg_default`).catch(() => undefined);
    await db.query(`DROP TABLESPACE IF EXISTS ${space}`).catch(() => undefined);
    await db.end().catch(() => undefined);
    await run('umount', [dir]).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
  });
  await db.query(`CREATE TABLESPACE ${space} LOCATION '${dir}'`);
  for (const table of tables) await db.query(`ALTER TABLE ${table} SET TABLESPACE ${space}`);
  return {
    async fill() {
      const f = await open(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (let size = chunk.length; size >= 1; ) {
          try {
            await f.write(chunk, 0, size);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            size = Math.floor(size / 2);
          }
        }
      } finally {
        await f.close();
      }
    },
    free: () => rm(filler, { force: true }),
  };
}
