// A real TCP AMI server, the demo's PBX and the tests' and benchmark's: it logs clients in, answers Ping / Logoff /
// CoreShowChannels / Status like Asterisk does, and replays captured or synthesised AMI streams,
// keeping track of the channels live in what it replayed so that a client that (re)connects
// mid-call gets a realistic answer. It can also misbehave: drop, go silent, refuse, send garbage.
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerAction, header, type ActionHandler, type PeerClient } from './peer-actions';
import { PeerChannels, type PeerChannel } from './peer-channels';
import { replayFrames, type ReplayOptions, type ReplayResult, type ReplaySource } from './peer-replay';
import type { AmiPeerOptions, PeerAction } from './peer-types';
import { type AmiFields, parseFrame, serializeFrame } from './scenarios';

export type { PeerChannel } from './peer-channels';
export type { ReplayItem, ReplayOptions, ReplayResult, ReplaySource } from './peer-replay';
export type { AmiPeerOptions, PeerAction } from './peer-types';

const CRLF = '\r\n';

export class AmiPeer extends EventEmitter {
  readonly host: string;
  port: number;
  username: string;
  /** Change it to make the next logins fail (`Response: Error`, then the socket is closed). */
  secret: string;
  banner: string;
  readonly actions: PeerAction[] = [];
  /** Extra delay before answering an action, by lower-cased action name. */
  readonly actionDelays = new Map<string, number>();
  /** Successful logins so far, and connections accepted. */
  logins = 0;
  connections = 0;
  framesSent = 0;
  bytesSent = 0;

  private server: net.Server | null = null;
  private readonly clients = new Set<PeerClient>();
  private readonly channels = new PeerChannels();
  private readonly handlers = new Map<string, ActionHandler>();
  private readonly fullyBooted: boolean;
  private isSilent = false;
  private readonly startedAt = Date.now();

  /** Not listening yet: call `listen()` (or use `AmiPeer.start()`). */
  constructor(options: AmiPeerOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.username = options.username ?? 'calldesk';
    this.secret = options.secret ?? 'test-secret';
    this.banner = options.banner ?? 'Asterisk Call Manager/5.0.2';
    this.fullyBooted = options.fullyBootedOnLogin ?? false;
  }

  /** Starts listening; close it with `close()` (in `t.teardown`). */
  static async start(options: AmiPeerOptions = {}): Promise<AmiPeer> {
    const peer = new AmiPeer(options);
    await peer.listen();
    return peer;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Clients that are logged in and receive events. */
  get loggedInClients(): number {
    let n = 0;
    for (const c of this.clients) if (c.loggedIn && c.events && !c.socket.destroyed) n++;
    return n;
  }

  /** Open client sockets, logged in or not. */
  get openClients(): number {
    return this.clients.size;
  }

  /** Listens (again) on the same port. */
  async listen(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => this.accept(socket));
    server.listen(this.port, this.host);
    await once(server, 'listening');
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and closes every client: connections are refused until `listen()`. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of this.clients) c.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Closes, refuses connections for `ms`, then listens again on the same port. */
  async refuseFor(ms: number): Promise<void> {
    await this.close();
    await sleep(ms);
    await this.listen();
  }

  /** Closes every client's socket; the server keeps accepting. */
  drop(): void {
    for (const c of this.clients) c.socket.destroy();
  }

  /** A hung PBX: the socket stays open but nothing is answered or sent until `silent(false)`. */
  silent(on = true): void {
    this.isSilent = on;
    this.emit('silence', on);
  }

  get isSilenced(): boolean {
    return this.isSilent;
  }

  /** Writes raw bytes to every logged-in client, as they are (garbage, partial frames…). */
  inject(data: string | Buffer): void {
    for (const c of this.clients) if (c.loggedIn) c.socket.write(data);
  }

  /** Sends one frame now (tracked like a replayed one). */
  send(frame: AmiFields | string): void {
    const data = typeof frame === 'string' ? frame : serializeFrame(frame);
    this.channels.track(data, typeof frame === 'string' ? null : frame);
    this.writeToClients(data);
  }

  /** Answers an action with your own frames instead of the built-in behaviour (return null for none). */
  respond(action: string, handler: ActionHandler): void {
    this.handlers.set(action.toLowerCase(), handler);
  }

  /** Channels live in what was replayed so far, in creation order. */
  liveChannels(): PeerChannel[] {
    return this.channels.list();
  }

  /** Forget the live channels (a PBX restart). */
  resetChannels(): void {
    this.channels.clear();
  }

  /** Resolves when `logins` reaches `count` (default: the next login). */
  async waitForLogin(count = this.logins + 1, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => this.logins >= count, 'login', timeoutMs, `login #${count}`);
  }

  /** Resolves with the `count`-th action of that name since the peer started (default: the next one). */
  async waitForAction(name: string, count?: number, timeoutMs = 10_000): Promise<PeerAction> {
    const lower = name.toLowerCase();
    const seen = (): PeerAction[] => this.actions.filter((a) => a.name === lower);
    const want = count ?? seen().length + 1;
    await this.waitUntil(() => seen().length >= want, 'action', timeoutMs, `action ${name} #${want}`);
    return seen()[want - 1];
  }

  /** Resolves once no client socket is open. */
  async waitForNoClient(timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => this.clients.size === 0, 'disconnect', timeoutMs, 'no client');
  }

  private async waitUntil(done: () => boolean, event: string, timeoutMs: number, what: string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, check);
        reject(new Error(`AMI peer: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.off(event, check);
        resolve();
      };
      this.on(event, check);
    });
  }

  /**
   * Replays frames after login: a Scenario's `.ami` bytes verbatim (times from its `.jsonl`), or
   * any (async) iterable of frames such as `synthesizeCalls(...)` (see peer-replay.ts).
   */
  replay(source: ReplaySource, options: ReplayOptions = {}): Promise<ReplayResult> {
    return replayFrames(
      {
        loggedInClients: () => this.loggedInClients,
        clientReady: (signal) => this.waitForClientReady(signal),
        write: (data, frames) => this.writeToClients(data, frames),
        drained: () => this.drained(),
        track: (data, fields) => this.channels.track(data, fields),
      },
      source,
      options,
    );
  }

  /** Resolves once a logged-in client can be written to (and the peer is not silent). */
  private async waitForClientReady(signal?: AbortSignal): Promise<void> {
    const ready = (): boolean => (this.loggedInClients > 0 && !this.isSilent) || !!signal?.aborted;
    if (ready()) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        if (!ready()) return;
        this.off('login', done);
        this.off('silence', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.on('login', done);
      this.on('silence', done);
      signal?.addEventListener('abort', done);
    });
  }

  /** Writes to every logged-in client with events on; false when nobody received it. */
  private writeToClients(data: string | Buffer, frames = 1): boolean {
    if (this.isSilent) return false;
    let any = false;
    for (const c of this.clients) {
      if (!c.loggedIn || !c.events || c.socket.destroyed) continue;
      c.socket.write(data);
      any = true;
    }
    if (any) {
      this.framesSent += frames;
      this.bytesSent += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    }
    return any;
  }

  /** Resolves once every client's socket buffer has drained (or the client is gone). */
  private async drained(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const c of this.clients) {
      const s = c.socket;
      if (s.writableNeedDrain && !s.destroyed) {
        waits.push(new Promise<void>((resolve) => {
          const done = (): void => {
            s.off('drain', done);
            s.off('close', done);
            resolve();
          };
          s.on('drain', done);
          s.on('close', done);
        }));
      }
    }
    if (waits.length) await Promise.all(waits);
  }

  // Clients and actions

  private accept(socket: net.Socket): void {
    const client: PeerClient = { id: ++this.connections, socket, input: '', loggedIn: false, events: true, chain: Promise.resolve() };
    this.clients.add(client);
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('error', () => {
      /* the client went away; 'close' follows */
    });
    socket.on('close', () => {
      this.clients.delete(client);
      this.emit('disconnect', client.id);
    });
    socket.on('data', (chunk: string) => this.read(client, chunk));
    socket.write(`${this.banner}${CRLF}`);
    this.emit('connection', client.id);
  }

  private read(client: PeerClient, chunk: string): void {
    client.input += chunk;
    for (;;) {
      const m = /\r?\n\r?\n/.exec(client.input);
      if (!m) break;
      const text = client.input.slice(0, m.index);
      client.input = client.input.slice(m.index + m[0].length);
      if (!text.trim()) continue;
      const fields = parseFrame(text);
      const name = (header(fields, 'Action') ?? '').toLowerCase();
      this.actions.push({ at: new Date(), client: client.id, name, fields });
      this.emit('action', name, fields);
      if (this.isSilent) continue;
      // Like Asterisk, one client's actions are answered one after the other.
      client.chain = client.chain.then(() => this.answer(client, name, fields)).catch(() => undefined);
    }
  }

  private answer(client: PeerClient, name: string, fields: AmiFields): Promise<void> {
    return answerAction(this, { handlers: this.handlers, fullyBooted: this.fullyBooted, startedAt: this.startedAt }, client, name, fields);
  }
}
