// Builds the real service for a test: real PostgreSQL, real HTTP listener, optionally a PBX.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp, type AppOptions, type CalldeskApp } from '../../src/app';
import type { Config } from '../../src/config/config';
import { ADMIN, testConfig } from './config';
import { freshDatabase, type TestServer } from './db';
import { httpClient } from './http';
import { openSocket, type TestSocket } from './socket';
import { AmiPeer } from './ami-peer';

export { ADMIN } from './config';
export type { TestSocket } from './socket';

export interface TestApp {
  app: CalldeskApp;
  url: string;
  db: { url: string; server: TestServer };
  /** Logs in and returns the bearer token. */
  login(login: string, password: string): Promise<string>;
  adminToken: string;
  /** An agent with an extension, logged in. */
  agent(login: string, extension: string | null, role?: 'agent' | 'supervisor' | 'admin'): Promise<{ id: string; token: string }>;
  request(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  /** A WebSocket client (to this instance, or to `baseUrl` of another). */
  socket(token: string, baseUrl?: string): Promise<TestSocket>;
}

export async function buildTestApp(
  t: { teardown(fn: () => unknown): void },
  opts: { pbx?: { host: string; port: number }[]; config?: Partial<Config>; connectPbx?: boolean; mailTimings?: AppOptions['mailTimings']; logger?: AppOptions['logger']; appOptions?: Partial<AppOptions> } = {},
): Promise<TestApp> {
  const db = await freshDatabase(t);
  const config: Config = testConfig(opts.pbx, opts.config);
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildApp({ ...opts.appOptions, config, logger, databaseUrl: db.url, connectPbx: opts.connectPbx, mailTimings: opts.mailTimings });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const { port } = app.http.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const { request, login } = httpClient(url);

  const adminToken = await login(ADMIN.login, ADMIN.password);

  async function agent(l: string, extension: string | null, role: 'agent' | 'supervisor' | 'admin' = 'agent') {
    const password = `${l}-password`;
    const res = await request('POST', '/api/agents', adminToken, { login: l, password, name: l, extension, role, mustChangePassword: false });
    if (res.status !== 201) throw new Error(`creating ${l} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, token: await login(l, password) };
  }

  async function socket(token: string, baseUrl = url): Promise<TestSocket> {
    const ws = await openSocket(baseUrl, token);
    t.teardown(() => ws.close());
    return ws;
  }

  return { app, url, db, login, adminToken, agent, request, socket };
}

/**
 * Another instance of the service on the same database, configured with the same PBXs (as behind a
 * load balancer), listening; closed at teardown (closing twice is harmless).
 */
export async function secondInstance(
  t: { teardown(fn: () => unknown): void },
  first: TestApp,
  pbx: { host: string; port: number }[] = [],
): Promise<{ app: CalldeskApp; url: string }> {
  const app = await buildApp({ config: testConfig(pbx), logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), databaseUrl: first.db.url });
  t.teardown(() => app.close());
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}` };
}

/** A service connected to a fresh AMI peer, with agents on 101, 102 and 103, logged in to the PBX. */
export async function serviceWithPbx(t: { teardown(fn: () => unknown): void }): Promise<{ peer: AmiPeer; h: TestApp }> {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  for (const ext of ['101', '102', '103']) await h.agent(`agent${ext}`, ext);
  await h.app.startIngest();
  await peer.waitForLogin();
  return { peer, h };
}
