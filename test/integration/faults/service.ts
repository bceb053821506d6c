// The real service on a database the test chooses (so that a second one can be built on the same
// database after the first is closed, as after a restart), with its log optionally captured.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import { buildApp, type AppOptions, type CalldeskApp } from '../../../src/app';
import type { Config } from '../../../src/config/config';
import { testConfig } from '../../helpers/config';
import { createLogger } from '../../../src/logger';
import { httpClient } from '../../helpers/http';
import { openSocket, type TestSocket } from '../../helpers/socket';

export { ADMIN, testConfig } from '../../helpers/config';
export { waitFor } from '../../helpers/wait';
export type { TestSocket as LiveSocket } from '../../helpers/socket';

export interface Service {
  app: CalldeskApp;
  url: string;
  request(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  login(login: string, password: string): Promise<string>;
  socket(token: string): Promise<TestSocket>;
  close(): Promise<void>;
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

  async function socket(token: string): Promise<TestSocket> {
    const ws = await openSocket(url, token);
    sockets.push(ws.ws);
    return ws;
  }

  return { app, url, request, login, socket, close };
}
