// Builds the real service for a test: real PostgreSQL, real HTTP listener, optionally a PBX.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp, type CalldeskApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config/config';
import { freshDatabase, type TestServer } from './db';
import { httpClient } from './http';

export const ADMIN = { login: 'admin', password: 'admin-password-1' };

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

export interface TestSocket {
  ws: WebSocket;
  messages: any[];
  /** Resolves with the first message (already received or coming) matching; rejects after timeoutMs. */
  next(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export async function buildTestApp(
  t: { teardown(fn: () => unknown): void },
  opts: { pbx?: { host: string; port: number }[]; config?: Partial<Config>; connectPbx?: boolean } = {},
): Promise<TestApp> {
  const db = await freshDatabase(t);
  const base = loadConfig({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });
  const config: Config = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    pbx: (opts.pbx ?? []).map((p, i) => ({ id: i === 0 ? 'main' : `pbx${i + 1}`, host: p.host, port: p.port, username: 'calldesk', secret: 'test-secret' })),
    ...opts.config,
  };
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildApp({ config, logger, databaseUrl: db.url, connectPbx: opts.connectPbx });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const { port } = app.http.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const { request, login } = httpClient(url);

  const adminToken = await login(ADMIN.login, ADMIN.password);

  async function agent(l: string, extension: string | null, role: 'agent' | 'supervisor' | 'admin' = 'agent') {
    const password = `${l}-password`;
    const res = await request('POST', '/api/agents', adminToken, { login: l, password, name: l, extension, role });
    if (res.status !== 201) throw new Error(`creating ${l} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, token: await login(l, password) };
  }

  async function socket(token: string, baseUrl = url): Promise<TestSocket> {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
    const messages: any[] = [];
    const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      messages.push(m);
      for (const w of [...waiters]) {
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    });
    t.teardown(() => ws.close());
    return {
      ws,
      messages,
      next(pred, timeoutMs = 5000) {
        const found = messages.find(pred);
        if (found) return Promise.resolve(found);
        return new Promise((resolve, reject) => {
          const w = { pred, resolve: (m: any) => (clearTimeout(timer), resolve(m)) };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`no matching message within ${timeoutMs} ms; got types: ${messages.map((m) => m.type).join(',')}`));
          }, timeoutMs);
          waiters.push(w);
        });
      },
      close: () => ws.close(),
    };
  }

  return { app, url, db, login, adminToken, agent, request, socket };
}
