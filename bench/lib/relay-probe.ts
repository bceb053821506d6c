// An in-memory relay's pop latency, measured in the same run as the service's (the limit a pop
// cannot beat on this machine under this load): bench/relay-child.ts in a process of its own, a
// TCP peer writing a stamped line through it every few milliseconds (as the PBX writes a DialBegin)
// and a WebSocket client receiving it (as an agent's panel). Same node flags as the service.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { serviceNodeFlags } from './service-process';

export class RelayProbe {
  /** From the line written to its frame received (ms), while a probe runs. */
  readonly latencies: number[] = [];
  private readonly sentAt = new Map<number, number>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly peer: net.Socket,
    private readonly client: WebSocket,
  ) {
    client.on('message', (data: Buffer) => {
      const at = performance.now();
      const n = Number(data.toString());
      const sent = this.sentAt.get(n);
      if (sent === undefined) return;
      this.sentAt.delete(n);
      this.latencies.push(at - sent);
    });
  }

  static async start(): Promise<RelayProbe> {
    const child = fork(path.join(__dirname, '..', 'relay-child.ts'), [], { execArgv: [...serviceNodeFlags(), '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ports] = (await once(child, 'message')) as [{ tcpPort: number; wsPort: number }];
    const client = new WebSocket(`ws://127.0.0.1:${ports.wsPort}/`, { perMessageDeflate: false });
    await once(client, 'open');
    const peer = net.connect(ports.tcpPort, '127.0.0.1');
    peer.setNoDelay(true);
    await once(peer, 'connect');
    return new RelayProbe(child, peer, client);
  }

  /** Writes a line through the relay every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    this.latencies.length = 0;
    this.sentAt.clear();
    this.timer = setInterval(() => {
      const n = ++this.seq;
      this.sentAt.set(n, performance.now());
      this.peer.write(`${n}\n`);
    }, intervalMs);
  }

  /** Stops writing; lines still on their way are not counted. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async close(): Promise<void> {
    this.stop();
    this.client.close();
    this.peer.destroy();
    this.child.disconnect();
    if (this.child.exitCode === null) await once(this.child, 'exit');
  }
}
