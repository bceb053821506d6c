// A real IMAP server for the mail tests: Dovecot started as a child with its own temporary
// configuration (loopback, a free port, plaintext login, one user, Maildir), stopped at teardown.
// Without Dovecot the test fails saying how to install it (it does not skip).
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { waitFor } from './wait';

const DOVECOT = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';

export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  /** `imap://user:pass@127.0.0.1:port/INBOX`. */
  url: string;
  /** Puts a message into the inbox as a mail client does (IMAP APPEND); its UID. */
  deliver(raw: Buffer | string): Promise<number>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/** Is any process of this group still running. */
function alive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startDovecot(t: { teardown(fn: () => unknown): void }): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error(`Dovecot is needed for the mail tests and was not found at ${DOVECOT}: install it with \`apt-get install dovecot-imapd\` (or set DOVECOT_BIN)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'calldesk-dovecot-'));
  await chmod(dir, 0o755); // the mail user (nobody, as root) must reach its Maildir inside
  const port = await freePort();
  const user = 'support';
  const pass = 'support-secret';
  const root = process.getuid?.() === 0;
  // As root Dovecot drops to its own users; the mail belongs to nobody. Otherwise all runs as us.
  const me = os.userInfo();
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  const mailDir = path.join(dir, 'mail');
  await mkdir(path.join(dir, 'run'), { recursive: true });
  await mkdir(mailDir, { recursive: true });
  if (root) chownSync(mailDir, mailUid, mailGid);
  await writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${pass}::::::\n`, { mode: 0o644 });
  const conf = path.join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/run/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me.username}
default_login_user = ${root ? 'dovenull' : me.username}
mail_location = maildir:${mailDir}/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${mailDir}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  let child: ChildProcess | null = null;
  async function start(): Promise<void> {
    // Its own process group, so that stopping it stops every process it forked (below).
    const c = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    c.stderr?.on('data', (d) => (err += d));
    child = c;
    await waitFor(`dovecot listening on ${port} ${err}`, async () => c.exitCode === null && (await accepts(port)), 15_000);
  }
  async function stop(): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null) return;
    child = null;
    const gone = new Promise((r) => c.once('exit', r));
    // The whole group, as a server going down does: signalled alone, the master exits at once and
    // leaves each logged-in imap process to notice ten seconds later, connections still open.
    process.kill(-c.pid!, 'SIGTERM');
    await gone;
    await waitFor(`dovecot to release port ${port}`, async () => !(await accepts(port)), 10_000);
    await waitFor(`dovecot's processes to exit`, () => !alive(c.pid!), 10_000);
  }
  await start();
  t.teardown(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  const url = `imap://${user}:${pass}@127.0.0.1:${port}/INBOX`;
  async function deliver(raw: Buffer | string): Promise<number> {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass }, logger: false });
    await c.connect();
    try {
      const r = await c.append('INBOX', typeof raw === 'string' ? Buffer.from(raw) : raw);
      if (!r || !r.uid) throw new Error('the server gave no UID for the appended message');
      return r.uid;
    } finally {
      await c.logout();
    }
  }
  return { port, user, pass, url, deliver, stop, start };
}
