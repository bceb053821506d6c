// Agents' WebSocket clients: they connect like the panel does (token in the query), wait for the
// snapshot, and note when each `call.ringing` arrives (performance.now, the clock the pacer stamps
// with). Only ringing frames are parsed; everything else is counted.
import WebSocket from 'ws';
import type { BenchAgent } from './agents';

const RINGING = Buffer.from('{"type":"call.ringing"');

export class AgentSockets {
  private readonly sockets: WebSocket[] = [];
  /** `linkedid/extension` → arrival time of its first `call.ringing` on the ringing agent's socket. */
  readonly ringArrivals = new Map<string, number>();
  messages = 0;
  bytes = 0;
  ringingMessages = 0;

  constructor(private readonly url: string) {}

  get size(): number {
    return this.sockets.length;
  }

  /** Opens one socket per agent given (an agent may appear twice: a second tab), `parallel` at a time. */
  async open(agents: BenchAgent[], parallel = 25): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < agents.length) await this.openOne(agents[next++]);
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }

  private openOne(agent: BenchAgent): Promise<void> {
    const ws = new WebSocket(`${this.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(agent.token)}`, { perMessageDeflate: false });
    this.sockets.push(ws);
    const own = agent.extension;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      ws.on('message', (data: Buffer) => {
        const at = performance.now();
        this.messages++;
        this.bytes += data.length;
        if (!ready) {
          ready = true; // the snapshot always comes first
          resolve();
          return;
        }
        if (own === null || data.length < RINGING.length || RINGING.compare(data, 0, RINGING.length) !== 0) return;
        this.ringingMessages++;
        const m = JSON.parse(data.toString()) as { call: { linkedid: string }; extension: string };
        if (m.extension !== own) return;
        const key = `${m.call.linkedid}/${m.extension}`;
        if (!this.ringArrivals.has(key)) this.ringArrivals.set(key, at);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    });
  }

  /** Closes the last `n` sockets opened. */
  async closeLast(n: number): Promise<void> {
    const gone = this.sockets.splice(this.sockets.length - n, n);
    await Promise.all(gone.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once('close', () => resolve()), ws.close())))));
  }

  async closeAll(): Promise<void> {
    await this.closeLast(this.sockets.length);
  }
}
