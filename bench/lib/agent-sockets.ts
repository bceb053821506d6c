// Agents' WebSocket clients: they connect like the panel does (token in the query), wait for the
// snapshot, and note when each `call.ringing` arrives (performance.now, the clock the pacer stamps
// with). Only ringing frames are parsed; everything else is counted.
import WebSocket from 'ws';
import type { BenchAgent } from './agents';

const RINGING = Buffer.from('{"type":"call.ringing"');
const PONG = Buffer.from('{"type":"pong"');

export class AgentSockets {
  private readonly sockets: WebSocket[] = [];
  /** Sockets this bench closes itself (any other close is the service dropping a slow reader). */
  private readonly closing = new WeakSet<WebSocket>();
  /** Sockets the service dropped (a client that did not read fast enough), each opened again as a panel would. */
  reconnects = 0;
  /** `linkedid/extension` → arrival time of its first `call.ringing` on the ringing agent's socket. */
  readonly ringArrivals = new Map<string, number>();
  messages = 0;
  bytes = 0;
  ringingMessages = 0;
  /** Round trips of `ping` → `pong` through the service, while a probe runs (ms). */
  readonly pingRtts: number[] = [];
  private pingSentAt = 0;
  private probeTimer: NodeJS.Timeout | null = null;

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

  private openOne(agent: BenchAgent, slot = this.sockets.length): Promise<void> {
    const ws = new WebSocket(`${this.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(agent.token)}`, { perMessageDeflate: false });
    this.sockets[slot] = ws;
    // Dropped by the service (it drops a socket that leaves megabytes unread): back, as the panel
    // comes back, so that the load of every later phase is the one intended.
    ws.once('close', () => {
      if (this.closing.has(ws) || this.sockets[slot] !== ws) return;
      this.reconnects++;
      setTimeout(() => {
        if (this.sockets[slot] === ws) void this.openOne(agent, slot).catch(() => undefined);
      }, 100);
    });
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
        if (this.pingSentAt > 0 && data.length < 40 && PONG.compare(data, 0, PONG.length) === 0) {
          this.pingRtts.push(at - this.pingSentAt);
          this.pingSentAt = 0;
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

  /**
   * Pings through the first socket every `intervalMs`: the service's answer travels the same
   * event loops and sockets as a screen pop, without the database, so its round trip is the floor
   * of what a pop can take on this machine at this moment.
   */
  startProbe(intervalMs: number): void {
    this.pingRtts.length = 0;
    this.probeTimer = setInterval(() => {
      if (this.pingSentAt > 0) return; // still waiting for the last one
      this.pingSentAt = performance.now();
      this.sockets[0]?.send('{"type":"ping"}');
    }, intervalMs);
  }

  stopProbe(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.pingSentAt = 0;
  }

  /** Closes the last `n` sockets opened. */
  async closeLast(n: number): Promise<void> {
    const gone = this.sockets.splice(this.sockets.length - n, n);
    for (const ws of gone) this.closing.add(ws);
    await Promise.all(gone.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once('close', () => resolve()), ws.close())))));
  }

  async closeAll(): Promise<void> {
    await this.closeLast(this.sockets.length);
  }
}
