// asterisk-manager, wrapped: we use it for Login and action serialisation, through its public API
// only (its emitter included). Its public API gives no access to its socket, which the connection
// edge needs (pause reading for back-pressure, bound a runaway frame, drop a silent PBX), and its
// line reader cost most of the service's CPU under a busy PBX. So the PBX socket is ours and we
// read it (FrameFeed, frame-parser.ts: the same messages the package's reader makes); the package is
// connected to a private local socket (a Unix socket in a directory only this user can enter,
// removed as soon as the package is connected) that carries its actions to the PBX, and it is
// handed the answers to them through its emitter, as its own reader would.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { FrameFeed } from './frame-feed';
import type { RawAmiMessage } from './raw';

/** The package's manager object, as far as we use it. */
export interface AsteriskManager {
  /** `path` of a local socket (the package passes its arguments to `net.createConnection`). */
  connect(path: string, host: string, callback?: () => void): void;
  /** Sends `Action: login` with the constructor's credentials; the callback gets the Error response. */
  login(callback: (err?: RawAmiMessage) => void): void;
  /** Serialises and writes an action (held until login); the id is `fields.actionid` if given. */
  action(fields: Record<string, unknown>, callback?: (err: RawAmiMessage | undefined, res: RawAmiMessage) => void): string;
  on(event: string, listener: (...args: never[]) => void): void;
  removeAllListeners(event: string): void;
  emit(event: string, ...args: unknown[]): boolean;
}

type ManagerFactory = (
  port: number | undefined,
  host: string,
  username: string,
  password: string,
  events: boolean,
) => AsteriskManager;

const createManager = require('asterisk-manager') as ManagerFactory;

/** Bytes read from the PBX per read. */
const READ_BYTES = 16 * 1024;
/** What is read ahead while paused. */
const HOLD_BYTES = 64 * 1024;

function first(v: RawAmiMessage[string]): string | null {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
}

export interface ManagerLink {
  manager: AsteriskManager;
  /** The socket to the PBX. */
  socket: net.Socket;
  /** Resolves once the PBX socket and the package are both connected. */
  ready: Promise<void>;
  /** Stops / restarts reading the PBX (back-pressure). */
  pause(): void;
  resume(): void;
}

/**
 * Dials the PBX and a manager whose actions go to it: each chunk is read by `feed`, and every
 * message it reads goes to `route`, synchronously and in arrival order. Closing the PBX socket
 * closes the rest.
 */
export function openManager(
  o: { host: string; port: number; username: string; secret: string },
  feed: FrameFeed,
  route: (item: RawAmiMessage) => void,
): ManagerLink {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-ami-')); // first: if it throws, nothing is open yet
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // The PBX is read into one buffer of our own, READ_BYTES at a time: no buffer per read, and a
  // burst is taken a slice per turn of the event loop rather than 64 KiB at once (what one turn
  // allocates for its messages, facts and pushes is what the young generation must hold).
  const decoder = new StringDecoder('utf8');
  const read = (chunk: string) => {
    for (const item of feed.take(chunk)) deliver(item);
  };
  // Paused (back-pressure), the socket still reads up to HOLD_BYTES ahead, as a stream would, so
  // that a PBX closing the connection meanwhile is noticed; then the kernel holds the rest.
  let paused = false;
  const held: string[] = [];
  let heldBytes = 0;
  const socket = net.connect({
    port: o.port,
    host: o.host,
    onread: {
      buffer: Buffer.allocUnsafe(READ_BYTES),
      callback: (n: number, buf: Buffer) => {
        const chunk = decoder.write(buf.subarray(0, n));
        if (!paused) read(chunk);
        else {
          held.push(chunk);
          heldBytes += chunk.length;
        }
        return !paused || heldBytes < HOLD_BYTES;
      },
    },
  });
  const resume = () => {
    paused = false;
    while (held.length > 0 && !paused) {
      const chunk = held.shift()!;
      heldBytes -= chunk.length;
      read(chunk);
    }
    if (!paused && !socket.destroyed) socket.resume();
  };
  socket.setKeepAlive(true);
  socket.setNoDelay(true);
  const manager = createManager(undefined, o.host, o.username, o.secret, true);
  // The package's own dispatcher re-emits every message on later ticks and throws (uncaught) on a
  // repeated UserEvent header; it would only run on what its reader reads, which is nothing now.
  manager.removeAllListeners('rawevent');
  /** Each message, as it is read: an action's answer to the package's listener (its Login callback), then to `route`. */
  const deliver = (item: RawAmiMessage) => {
    const id = first(item.actionid);
    const response = first(item.response);
    if (id !== null && response !== null) manager.emit(id, response.toLowerCase() === 'error' ? item : undefined, item);
    route(item);
  };

  const server = net.createServer();
  const innerReady = new Promise<void>((resolve, reject) => {
    server.once('connection', (s) => {
      server.close();
      removeDir();
      if (socket.destroyed) return void s.destroy();
      s.setNoDelay(true);
      s.on('error', () => undefined); // the PBX socket's end closes it; nothing to report from here
      s.on('data', (actions) => {
        if (!socket.destroyed) socket.write(actions);
      });
      socket.once('close', () => s.destroy());
      resolve();
    });
    server.once('error', reject);
  });
  server.listen(path.join(dir, 'ami.sock'), () => manager.connect(path.join(dir, 'ami.sock'), ''));

  socket.on('close', () => {
    server.close();
    removeDir();
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    manager,
    socket,
    ready: Promise.all([connected, innerReady]).then(() => undefined),
    pause: () => {
      paused = true;
    },
    resume,
  };
}
