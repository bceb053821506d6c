// The real service on a database the test chooses (so that a second one can be built on the same
// database after the first is closed, as after a restart), with its log optionally captured.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import { buildApp, type AppOptions, type CalldeskApp } from '../../../src/app';
import { loadConfig, type Config } from '../../../src/config/config';
import { createLogger } from '../../../src/logger';
import { httpClient } from '../../helpers/http';

export const ADMIN = { login: 'admin', password: 'admin-password-1' };

export interface Service {
  app: CalldeskApp;
  url: string;
  request(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  login(login: string, password: string): Promise<string>;
  socket(token: string): Promise<LiveSocket>;
  close(): Promise<void>;
}

export interface LiveSocket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  next(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
}

export interface ServiceOptions {
  databaseUrl: string;
  pbx?: { host: string; port: number }[];
  config?: Partial<Config>;
  logger?: Logger;
  app?: Partial<AppOptions>;
}

/** A logger built like the production one (same redaction), writing into `lines`. */
export function capturedLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(line);
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

export function testConfig(pbx: { host: string; port: number }[] = [], extra: Partial<Config> = {}): Config {
  const base = loadConfig({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });
  return {
    ...base,
    port: 0,
    host: '127.0.0.1',
    pbx: pbx.map((p, i) => ({ id: i === 0 ? 'main' : `pbx${i + 1}`, host: p.host, port: p.port, username: 'calldesk', secret: 'test-secret' })),
    ...extra,
  };
}

export async function startService(t: { teardown(fn: () => unknown): void }, o: ServiceOptions): Promise<Service> {
  const logger = o.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildApp({ config: testConfig(o.pbx, o.config), logger, databaseUrl: o.databaseUrl, ...o.app });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.http.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const sockets: WebSocket[] = [];
  const close = async () => {
    for (const ws of sockets) ws.terminate();
    await app.close();
  };
  t.teardown(close);

  const { request, login } = httpClient(url);

  async function socket(token: string): Promise<LiveSocket> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
    sockets.push(ws);
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
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    });
    return {
      ws,
      messages,
      closed,
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
    };
  }

  return { app, url, request, login, socket, close };
}

/** Polls until `probe` gives something truthy; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
