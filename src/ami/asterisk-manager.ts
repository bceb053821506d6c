// A typed face for the `asterisk-manager` package (it ships no types), and the one file that
// reaches past its public API. We use it for what it does well — the TCP connection, the AMI line
// parser (lower-cased keys, `Response: Follows` blocks, `Variable` objects), Login and action
// serialisation — and nothing else: no keepConnected(). Its public API gives no access to its socket
// nor a way to feed its parser, so three things are done around it, here only (see openManager):
//   1. its socket is captured as it is created (pause for back-pressure, bound a runaway frame,
//      destroy a silent connection, stamp arrivals);
//   2. its line reader is fed through FrameFeed: whole frames, the 80 % of events nobody uses
//      dropped unparsed (its reader was most of the service's CPU), a stray Follows defused;
//   3. its dispatcher, which re-emits every message on later ticks, is replaced: messages are
//      routed synchronously, and it is handed only responses (its Login callback needs them).
import net from 'node:net';
import type { FrameFeed } from './frame-feed';
import type { RawAmiMessage } from './raw';

/** The package's manager object, as far as we use it. */
export interface AsteriskManager {
  options: { port: number | undefined; host: string; username: string; password: string; events: boolean };
  connect(port: number, host: string, callback?: () => void): void;
  /** Sends `Action: login` with the constructor's credentials; the callback gets the Error response. */
  login(callback: (err?: RawAmiMessage) => void): void;
  /** Serialises and writes an action (held until login); the id is `fields.actionid` if given. */
  action(fields: Record<string, unknown>, callback?: (err: RawAmiMessage | undefined, res: RawAmiMessage) => void): string;
  disconnect(callback?: () => void): void;
  isConnected(): boolean;
  on(event: string, listener: (...args: never[]) => void): void;
  removeAllListeners(event?: string): void;
  listeners(event: string): Array<(...args: unknown[]) => void>;
  emit(event: string, ...args: unknown[]): boolean;
}

type ManagerFactory = (
  port: number | undefined,
  host: string,
  username: string,
  password: string,
  events: boolean,
) => AsteriskManager;

const createManagerImpl = require('asterisk-manager') as ManagerFactory;

/** A manager that has not connected yet (no port given, so the constructor does not dial). */
export function createManager(host: string, username: string, secret: string): AsteriskManager {
  return createManagerImpl(undefined, host, username, secret, true);
}

/**
 * Connects the manager and returns its socket. asterisk-manager keeps the socket private, but the
 * connection edge needs it (to pause reading for back-pressure, to bound a runaway frame, to
 * destroy a silent connection), so `net.createConnection` is wrapped for exactly the duration of
 * the synchronous `connect()` call and restored before returning.
 * `beforeListeners` runs on the new socket before the package attaches its own listeners, so a
 * 'data' listener added there sees every chunk before the parser does.
 */
export function connectManager(
  manager: AsteriskManager,
  port: number,
  host: string,
  beforeListeners: (socket: net.Socket) => void,
): net.Socket {
  const original = net.createConnection;
  let captured: net.Socket | undefined;
  const wrapped = ((...args: Parameters<typeof net.createConnection>) => {
    const socket = (original as (...a: unknown[]) => net.Socket).apply(net, args);
    captured = socket;
    beforeListeners(socket);
    return socket;
  }) as typeof net.createConnection;
  net.createConnection = wrapped;
  try {
    manager.connect(port, host);
  } finally {
    net.createConnection = original;
  }
  if (!captured) throw new Error('asterisk-manager did not open a socket');
  return captured;
}

export interface ManagerLink {
  manager: AsteriskManager;
  socket: net.Socket;
  /** Lets the package see a response (its Login callback and per-action listeners depend on it). */
  forwardResponse(item: RawAmiMessage): void;
}

/**
 * A manager connected to `host:port` whose line reader gets what `feed` lets through, and whose
 * parsed messages all go to `route`, synchronously, in arrival order: the package's own dispatcher
 * (which re-emits each message on later ticks) is taken over and handed only responses, copied.
 */
export function openManager(
  o: { host: string; port: number; username: string; secret: string },
  feed: FrameFeed,
  route: (item: RawAmiMessage) => void,
): ManagerLink {
  const manager = createManager(o.host, o.username, o.secret);
  const dispatch = manager.listeners('rawevent');
  manager.removeAllListeners('rawevent');
  manager.on('rawevent', route);
  const measure = (chunk: string | Buffer) => feed.measure(chunk);
  const socket = connectManager(manager, o.port, o.host, (s) => {
    s.on('data', measure);
  });
  // The package's line reader gets what the feed lets through (see FrameFeed.completeLines).
  const readers = socket.listeners('data').filter((l) => l !== measure) as Array<(chunk: string) => void>;
  for (const r of readers) socket.removeListener('data', r);
  socket.on('data', (chunk: string | Buffer) => {
    const lines = feed.completeLines(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (lines !== null) for (const r of readers) r.call(socket, lines);
  });
  const forwardResponse = (item: RawAmiMessage): void => {
    const copy: Record<string, unknown> = {};
    for (const k of ['response', 'actionid', 'message', 'content']) {
      const v = item[k];
      if (typeof v === 'string') copy[k] = v;
      else if (Array.isArray(v) && typeof v[0] === 'string') copy[k] = v[0];
    }
    for (const d of dispatch) d(copy);
  };
  return { manager, socket, forwardResponse };
}
