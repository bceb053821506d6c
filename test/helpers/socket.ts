// An agent's WebSocket client for tests: keeps every message and waits for the one a test expects.
import WebSocket from 'ws';

export interface TestSocket {
  ws: WebSocket;
  messages: any[];
  /** Settles when the server (or the test) closes the socket, with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first message (already received or coming) matching; rejects after timeoutMs. */
  next(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

/** Opens `/ws` on `baseUrl` with the session token; resolves once the socket is open. */
export async function openSocket(baseUrl: string, token: string): Promise<TestSocket> {
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
    close: () => ws.close(),
  };
}
