// A real TCP AMI server, the demo's PBX and the tests' and benchmark's: it logs clients in, answers Ping / Logoff /
// CoreShowChannels / Status like Asterisk does, and replays captured or synthesised AMI streams,
// keeping track of the channels live in what it replayed so that a client that (re)connects
// mid-call gets a realistic answer. It can also misbehave: drop, go silent, refuse, send garbage.
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AmiFields, type AmiFrame, type Scenario, parseFrame, scenarioFrames, serializeFrame } from './scenarios';

export interface AmiPeerOptions {
  host?: string;
  /** 0 (default) picks a free port; `listen()` after `close()` reuses the one picked. */
  port?: number;
  /** Defaults `calldesk` / `test-secret`, as test/helpers/app.ts configures the service (the demo sets its own). */
  username?: string;
  secret?: string;
  banner?: string;
  /** Send `FullyBooted` after a login (the captures already start with one; default false). */
  fullyBootedOnLogin?: boolean;
}

export interface PeerAction {
  at: Date;
  /** Connection number (1 for the first client ever accepted). */
  client: number;
  /** Lower-cased action name (`login`, `ping`, `coreshowchannels`…). */
  name: string;
  /** The action's headers as the client sent them. */
  fields: AmiFields;
}

/** A frame to replay: captured bytes, synthesised text, or fields to serialise; `t` in ms. */
export type ReplayItem = AmiFrame | { t?: number; fields: AmiFields } | { t?: number; data: string | Buffer };

export type ReplaySource = Scenario | Iterable<ReplayItem> | AsyncIterable<ReplayItem>;

export interface ReplayOptions {
  /** Time factor over the frames' `t` (2 = twice as fast); 'max' (default) sends as fast as the client reads. */
  speed?: number | 'max';
  /** Gap compression: no pause between two frames is longer than this (ms, in replay time). */
  maxGapMs?: number;
  /** Wait for a logged-in client (and a peer that is not silent) before the first frame (default true). */
  waitForClient?: boolean;
  /** Hold the replay while no client is logged in, so that no frame is missed (default false: like a PBX, carry on). */
  holdWhileDisconnected?: boolean;
  /** Bytes gathered into one socket write when sending as fast as possible (default 64 KiB). */
  batchBytes?: number;
  signal?: AbortSignal;
}

export interface ReplayResult {
  /** Frames taken from the source. */
  frames: number;
  /** Frames written to at least one client. */
  delivered: number;
  bytes: number;
}

/** What the peer knows of a live channel from the frames it replayed. */
export interface PeerChannel {
  channel: string;
  uniqueid: string;
  linkedid: string;
  state: string;
  stateDesc: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  connectedLineName: string;
  language: string;
  accountCode: string;
  context: string;
  exten: string;
  priority: string;
  application: string;
  appData: string;
  bridgeId: string;
  /** The number the channel was called on: its first `Exten` unless it was created by a Dial (`s`). */
  dnid: string;
  createdAt: number;
}

type ActionHandler = (fields: AmiFields, actionId: string) => string | string[] | null;

interface PeerClient {
  id: number;
  socket: net.Socket;
  input: string;
  loggedIn: boolean;
  events: boolean;
  chain: Promise<void>;
}

const CRLF = '\r\n';
// Events whose channel snapshot changes what CoreShowChannels / Status answer.
const TRACKED = new Set([
  'Newchannel',
  'Newstate',
  'Newexten',
  'NewCallerid',
  'NewConnectedLine',
  'NewAccountCode',
  'Rename',
  'Hangup',
  'BridgeEnter',
  'BridgeLeave',
]);

function isScenario(x: ReplaySource): x is Scenario {
  return typeof x === 'object' && x !== null && 'bytes' in x && 'messages' in x && Buffer.isBuffer((x as Scenario).bytes);
}

function eventNameOf(data: string | Buffer): string | null {
  const head = typeof data === 'string' ? data.slice(0, 48) : data.toString('latin1', 0, Math.min(48, data.length));
  if (!head.startsWith('Event: ')) return null;
  const end = head.indexOf('\r', 7);
  return end < 0 ? null : head.slice(7, end);
}

function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

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
  private readonly channels = new Map<string, PeerChannel>();
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
    this.track(data, typeof frame === 'string' ? null : frame);
    this.writeToClients(data);
  }

  /** Answers an action with your own frames instead of the built-in behaviour (return null for none). */
  respond(action: string, handler: ActionHandler): void {
    this.handlers.set(action.toLowerCase(), handler);
  }

  /** Channels live in what was replayed so far, in creation order. */
  liveChannels(): PeerChannel[] {
    return [...this.channels.values()];
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

  // ---------------------------------------------------------------------------------------------
  // Replay

  /**
   * Replays frames after login: a Scenario's `.ami` bytes verbatim (times from its `.jsonl`), or
   * any (async) iterable of frames such as `synthesizeCalls(...)`. Channels are tracked even while
   * no client is connected, as on a PBX; writes wait for the client to read (socket back-pressure).
   */
  async replay(source: ReplaySource, options: ReplayOptions = {}): Promise<ReplayResult> {
    const speed = options.speed ?? 'max';
    const maxGap = options.maxGapMs ?? Number.POSITIVE_INFINITY;
    const batchBytes = options.batchBytes ?? 64 * 1024;
    const items: Iterable<ReplayItem> | AsyncIterable<ReplayItem> = isScenario(source) ? scenarioFrames(source) : source;
    if (options.waitForClient ?? true) await this.waitForClientReady(options.signal);

    const result: ReplayResult = { frames: 0, delivered: 0, bytes: 0 };
    let batch: Array<string | Buffer> = [];
    let batchSize = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const data = batch.every((b) => typeof b === 'string') ? batch.join('') : Buffer.concat(batch.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)));
      const frames = batch.length;
      batch = [];
      batchSize = 0;
      let written = this.writeToClients(data, frames);
      while (!written && options.holdWhileDisconnected && !options.signal?.aborted) {
        await this.waitForClientReady(options.signal);
        written = this.writeToClients(data, frames);
      }
      if (written) result.delivered += frames;
      await this.drained();
    };

    let prevT: number | null = null;
    let clock = 0; // compressed replay time in ms
    const wallStart = performance.now();
    for await (const item of items) {
      if (options.signal?.aborted) break;
      const data = 'data' in item ? item.data : serializeFrame(item.fields);
      const t: number = item.t ?? prevT ?? 0;
      if (speed !== 'max') {
        clock += prevT === null ? 0 : Math.min(Math.max(0, t - prevT), maxGap);
        const wait = wallStart + clock / speed - performance.now();
        if (wait >= 1) {
          await flush();
          // Abortable, so that stopping a slow replay (the demo's) does not wait for the next frame.
          await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
          if (options.signal?.aborted) break;
        }
      }
      prevT = t;
      if (options.holdWhileDisconnected && this.loggedInClients === 0) {
        await flush();
        await this.waitForClientReady(options.signal);
      }
      this.track(data, 'fields' in item ? item.fields : null);
      batch.push(data);
      batchSize += data.length;
      result.frames++;
      result.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (speed !== 'max' || batchSize >= batchBytes) await flush();
    }
    await flush();
    return result;
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

  // ---------------------------------------------------------------------------------------------
  // Channel tracking

  private track(data: string | Buffer, fields: AmiFields | null): void {
    const name = fields ? fields.Event : eventNameOf(data);
    if (!name || !TRACKED.has(name)) return;
    const f = fields ?? parseFrame(typeof data === 'string' ? data : data.toString('utf8'));
    const uid = f.Uniqueid;
    if (!uid) return;
    if (name === 'Hangup') {
      this.channels.delete(uid);
      return;
    }
    let ch = this.channels.get(uid);
    if (!ch) {
      if (name !== 'Newchannel' && !f.Channel) return;
      ch = {
        channel: f.Channel ?? '',
        uniqueid: uid,
        linkedid: f.Linkedid ?? uid,
        state: '',
        stateDesc: '',
        callerIdNum: '',
        callerIdName: '',
        connectedLineNum: '',
        connectedLineName: '',
        language: '',
        accountCode: '',
        context: '',
        exten: '',
        priority: '',
        application: '',
        appData: '',
        bridgeId: '',
        dnid: name === 'Newchannel' && f.Exten && f.Exten !== 's' ? f.Exten : '',
        createdAt: Date.now(),
      };
      this.channels.set(uid, ch);
    }
    if (name === 'Rename') {
      if (f.Newname) ch.channel = f.Newname;
      return;
    }
    if (f.Channel) ch.channel = f.Channel;
    if (f.Linkedid) ch.linkedid = f.Linkedid;
    if (f.ChannelState !== undefined) ch.state = f.ChannelState;
    if (f.ChannelStateDesc !== undefined) ch.stateDesc = f.ChannelStateDesc;
    if (f.CallerIDNum !== undefined) ch.callerIdNum = f.CallerIDNum;
    if (f.CallerIDName !== undefined) ch.callerIdName = f.CallerIDName;
    if (f.ConnectedLineNum !== undefined) ch.connectedLineNum = f.ConnectedLineNum;
    if (f.ConnectedLineName !== undefined) ch.connectedLineName = f.ConnectedLineName;
    if (f.Language !== undefined) ch.language = f.Language;
    if (f.AccountCode !== undefined) ch.accountCode = f.AccountCode;
    if (f.Context !== undefined) ch.context = f.Context;
    if (f.Exten !== undefined) ch.exten = f.Exten;
    if (f.Priority !== undefined) ch.priority = f.Priority;
    if (name === 'Newexten') {
      ch.application = f.Application ?? ch.application;
      ch.appData = f.AppData ?? ch.appData;
    } else if (name === 'BridgeEnter') {
      ch.bridgeId = f.BridgeUniqueid ?? '';
    } else if (name === 'BridgeLeave') {
      ch.bridgeId = '';
    }
  }

  // ---------------------------------------------------------------------------------------------
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
      const name = (this.header(fields, 'Action') ?? '').toLowerCase();
      this.actions.push({ at: new Date(), client: client.id, name, fields });
      this.emit('action', name, fields);
      if (this.isSilent) continue;
      // Like Asterisk, one client's actions are answered one after the other.
      client.chain = client.chain.then(() => this.answer(client, name, fields)).catch(() => undefined);
    }
  }

  private header(fields: AmiFields, key: string): string | undefined {
    const lower = key.toLowerCase();
    for (const k in fields) if (k.toLowerCase() === lower) return fields[k];
    return undefined;
  }

  private async answer(client: PeerClient, name: string, fields: AmiFields): Promise<void> {
    const delay = this.actionDelays.get(name);
    if (delay) await sleep(delay);
    if (this.isSilent || client.socket.destroyed) return;
    const actionId = this.header(fields, 'ActionID') ?? '';
    const idFields: AmiFields = actionId ? { ActionID: actionId } : {};
    const idLine = actionId ? `ActionID: ${actionId}${CRLF}` : '';
    const write = (frames: string | string[]): void => {
      client.socket.write(Array.isArray(frames) ? frames.join('') : frames);
    };
    const custom = this.handlers.get(name);
    if (custom) {
      const out = custom(fields, actionId);
      if (out !== null) write(out);
      return;
    }
    if (name === 'login') {
      const ok = this.header(fields, 'Username') === this.username && this.header(fields, 'Secret') === this.secret;
      if (!ok) {
        write(`Response: Error${CRLF}${idLine}Message: Authentication failed${CRLF}${CRLF}`);
        this.emit('login-failed', client.id);
        client.socket.end();
        return;
      }
      client.loggedIn = true;
      client.events = (this.header(fields, 'Events') ?? 'on').toLowerCase() !== 'off';
      write(`Response: Success${CRLF}${idLine}Message: Authentication accepted${CRLF}${CRLF}`);
      if (this.fullyBooted && client.events) {
        const up = Math.floor((Date.now() - this.startedAt) / 1000);
        write(`Event: FullyBooted${CRLF}Privilege: system,all${CRLF}Uptime: ${up}${CRLF}LastReload: ${up}${CRLF}Status: Fully Booted${CRLF}${CRLF}`);
      }
      this.logins++;
      this.emit('login', client.id);
      return;
    }
    if (!client.loggedIn) {
      write(`Response: Error${CRLF}${idLine}Message: Authentication Required${CRLF}${CRLF}`);
      return;
    }
    switch (name) {
      case 'ping':
        write(`Response: Success${CRLF}${idLine}Ping: Pong${CRLF}Timestamp: ${(Date.now() / 1000).toFixed(6)}${CRLF}${CRLF}`);
        return;
      case 'logoff':
        write(`Response: Goodbye${CRLF}${idLine}Message: Thanks for all the fish.${CRLF}${CRLF}`);
        client.socket.end();
        return;
      case 'coreshowchannels':
        write(this.coreShowChannels(idLine, idFields));
        return;
      case 'status':
        write(this.status(idLine, idFields, this.header(fields, 'Channel')));
        return;
      default:
        write(
          `Response: Error${CRLF}${idLine}Message: Invalid/unknown command: ${this.header(fields, 'Action') ?? ''}. ` +
            `Use Action: ListCommands to show available commands.${CRLF}${CRLF}`,
        );
    }
  }

  private coreShowChannels(idLine: string, idFields: AmiFields): string {
    const now = Date.now();
    let out = `Response: Success${CRLF}${idLine}EventList: start${CRLF}Message: Channels will follow${CRLF}${CRLF}`;
    const live = this.liveChannels();
    for (const ch of live) {
      out += serializeFrame({
        Event: 'CoreShowChannel',
        ...idFields,
        ...channelFields(ch),
        Application: ch.application,
        ApplicationData: ch.appData,
        Duration: hms((now - ch.createdAt) / 1000),
        BridgeId: ch.bridgeId,
      });
    }
    out += `Event: CoreShowChannelsComplete${CRLF}${idLine}EventList: Complete${CRLF}ListItems: ${live.length}${CRLF}${CRLF}`;
    return out;
  }

  private status(idLine: string, idFields: AmiFields, only: string | undefined): string {
    const now = Date.now();
    const live = this.liveChannels().filter((ch) => !only || ch.channel === only);
    let out = `Response: Success${CRLF}${idLine}EventList: start${CRLF}Message: Channel status will follow${CRLF}${CRLF}`;
    for (const ch of live) {
      out += serializeFrame({
        Event: 'Status',
        Privilege: 'Call',
        ...channelFields(ch),
        Type: ch.channel.split('/')[0] ?? '',
        DNID: ch.dnid,
        EffectiveConnectedLineNum: ch.connectedLineNum,
        EffectiveConnectedLineName: ch.connectedLineName,
        TimeToHangup: '0',
        BridgeID: ch.bridgeId,
        Application: ch.application,
        Data: ch.appData,
        Nativeformats: '(alaw)',
        Readformat: 'alaw',
        Readtrans: '',
        Writeformat: 'alaw',
        Writetrans: '',
        Callgroup: '0',
        Pickupgroup: '0',
        Seconds: String(Math.floor((now - ch.createdAt) / 1000)),
        ...idFields,
      });
    }
    out += `Event: StatusComplete${CRLF}${idLine}EventList: Complete${CRLF}ListItems: ${live.length}${CRLF}Items: ${live.length}${CRLF}${CRLF}`;
    return out;
  }
}

/** The fields Asterisk gives a channel in both CoreShowChannel and Status, in its order. */
function channelFields(ch: PeerChannel): AmiFields {
  return {
    Channel: ch.channel,
    ChannelState: ch.state,
    ChannelStateDesc: ch.stateDesc,
    CallerIDNum: ch.callerIdNum,
    CallerIDName: ch.callerIdName,
    ConnectedLineNum: ch.connectedLineNum,
    ConnectedLineName: ch.connectedLineName,
    Language: ch.language,
    AccountCode: ch.accountCode,
    Context: ch.context,
    Exten: ch.exten,
    Priority: ch.priority,
    Uniqueid: ch.uniqueid,
    Linkedid: ch.linkedid,
  };
}
