// Passwords are stored only as argon2id hashes; passwords, session tokens and the AMI secret never
// reach the log (the production logger's output is captured) nor any public answer.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { capturedLogger, startService, waitFor } from '../faults/service';
import { rawRequest } from './raw-http';

const AMI_SECRET = 'ami-S3cret-7f3a9c';
const ADMIN_PASSWORD = 'Adm1n-S3cret-pass';
const AGENT_PASSWORD = 'Agent-S3cret-pw-1';
const NEW_PASSWORD = 'Agent-S3cret-pw-2';
const GUESS = 'Adm1n-S3cret-pas'; // a near miss is as secret as the password

t.test('secrets and passwords never reach the log, the health answer, metrics or the API docs', async (t) => {
  const peer = await AmiPeer.start({ secret: 'not-what-calldesk-has' });
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const { logger, lines } = capturedLogger('trace');
  const s = await startService(t, {
    databaseUrl: db.url,
    logger,
    config: {
      adminPassword: ADMIN_PASSWORD,
      pbx: [{ id: 'main', host: '127.0.0.1', port: peer.port, username: 'calldesk', secret: AMI_SECRET }],
    },
  });
  await s.app.startIngest();
  // The PBX refuses the secret first (logged as a refused login), then accepts it.
  await waitFor('a refused AMI login in the log', () => lines.some((l) => /login refused/i.test(l)));
  peer.secret = AMI_SECRET;
  await peer.waitForLogin(1, 5000);

  const tokens: string[] = [];
  t.equal((await s.request('POST', '/api/session', null, { login: 'admin', password: GUESS })).status, 401);
  const admin = await s.login('admin', ADMIN_PASSWORD);
  tokens.push(admin);
  const made = await s.request('POST', '/api/agents', admin, { login: 'agent1', password: AGENT_PASSWORD, extension: '101', mustChangePassword: false });
  t.equal(made.status, 201);
  t.notOk('password' in made.body || 'passwordHash' in made.body, 'the answer has no password field');
  const short = await s.request('POST', '/api/agents', admin, { login: 'agent2', password: 'short', mustChangePassword: false });
  t.equal(short.status, 400, 'a too-short password is refused…');
  t.notMatch(JSON.stringify(short.body), /short"/, '…without echoing it');
  const agentToken = await s.login('agent1', AGENT_PASSWORD);
  tokens.push(agentToken);
  t.equal((await s.request('PATCH', `/api/agents/${made.body.id}`, admin, { password: NEW_PASSWORD, mustChangePassword: false })).status, 200);
  const again = await s.login('agent1', NEW_PASSWORD);
  tokens.push(again);
  const ws = await s.socket(again); // the token travels in the URL here
  await ws.next((m) => m.type === 'snapshot');
  await rawRequest(s.url, 'GET', '/api/calls', { headers: { cookie: `calldesk_session=${again}` } });
  await s.request('GET', `/api/calls?token=${again}`, null);
  const list = await s.request('GET', '/api/agents', admin);
  // (`mustChangePassword` is a flag, not a secret.)
  t.notMatch(JSON.stringify(list.body).replace(/"mustChangePassword":(true|false)/g, ''), /argon2|password/i, 'agent list shows no hash');

  const publicAnswers = await Promise.all(['/api/health', '/metrics', '/docs/json'].map(async (p) => (await rawRequest(s.url, 'GET', p)).text));
  ws.ws.close();
  await s.close(); // shutdown logs too

  const secrets = { AMI_SECRET, ADMIN_PASSWORD, AGENT_PASSWORD, NEW_PASSWORD, GUESS, ...Object.fromEntries(tokens.map((tk, i) => [`token ${i + 1}`, tk])) };
  t.ok(lines.length > 20, `${lines.length} log lines captured`);
  for (const [name, value] of Object.entries(secrets)) {
    const leaks = lines.filter((l) => l.includes(value));
    t.same(leaks.map((l) => l.slice(0, 300)), [], `${name} is not in the log`);
    for (const [i, text] of publicAnswers.entries()) t.notOk(text.includes(value), `${name} is not in ${['/api/health', '/metrics', '/docs/json'][i]}`);
  }
  t.notOk(lines.some((l) => l.includes('$argon2')), 'no password hash in the log');
});

t.test('passwords are stored only as argon2id hashes, nowhere in clear', async (t) => {
  const db = await freshDatabase(t);
  const s = await startService(t, { databaseUrl: db.url, config: { adminPassword: ADMIN_PASSWORD } });
  const admin = await s.login('admin', ADMIN_PASSWORD);
  const made = await s.request('POST', '/api/agents', admin, { login: 'agent1', password: AGENT_PASSWORD, extension: '101', mustChangePassword: false });
  t.equal(made.status, 201);
  await s.request('PATCH', `/api/agents/${made.body.id}`, admin, { password: NEW_PASSWORD });
  await s.login('agent1', NEW_PASSWORD);
  const hashes = await s.app.ds.query(`SELECT login, password_hash FROM agent`);
  for (const h of hashes) t.match(h.password_hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/, `${h.login}: argon2id`);
  t.ok(Number(/m=(\d+)/.exec(hashes[0].password_hash)?.[1]) >= 19_456, 'with at least 19 MiB of memory (OWASP baseline)');
  // Every text in every table of the schema, searched for the passwords in clear.
  const tables = await s.app.ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  let rows = 0;
  for (const { table_name } of tables) {
    const all = await s.app.ds.query(`SELECT * FROM "${table_name}"`);
    rows += all.length;
    const text = JSON.stringify(all);
    for (const p of [ADMIN_PASSWORD, AGENT_PASSWORD, NEW_PASSWORD]) t.notOk(text.includes(p), `${table_name}: no clear password`);
  }
  t.ok(rows > 0, `${tables.length} tables, ${rows} rows searched`);
  const sessions = await s.app.ds.query(`SELECT token_hash FROM session`);
  t.ok(sessions.every((r: any) => /^[0-9a-f]{64}$/.test(r.token_hash)), 'session tokens are stored as sha256 only');
});
