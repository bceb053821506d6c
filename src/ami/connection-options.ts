// What an AmiConnection (client.ts) is told and what it tells: its options, its status, an action's options.
import type { LiveChannel } from './live-channel';
import type { AmiLogger } from './logger';
import type { RawAmiMessage } from './raw';

export interface AmiConnectionOptions {
  /** The PBX id (`pbx` in calls and logs). */
  id: string;
  host: string;
  port: number;
  username: string;
  secret: string;
  logger: AmiLogger;
  /** Ping period and how long to wait for Pong before dropping the connection (default 2000 / 3000 ms). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** An unterminated frame longer than this drops the connection (default 1 MiB). */
  maxFrameBytes?: number;
  /** TCP connect timeout (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Default timeout of login and actions, including the reconcile queries (default 10 000 ms). */
  actionTimeoutMs?: number;
  /** Reconnect back-off: first delay and cap (default 100 / 1000 ms); reset after a good login. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Each PBX event, synchronously and in arrival order; keys lower-cased (asterisk-manager's form). */
  onEvent(raw: RawAmiMessage, at: Date): void;
  /** Only these events reach onEvent (unparsed, the others are only counted through onSkipped); default all. */
  events?: ReadonlySet<string>;
  /** With `events`: only VarSet frames setting one of these variables reach onEvent. */
  variables?: ReadonlySet<string>;
  onSkipped?(count: number, at: Date): void;
  /** After each login, with the channels the PBX reports live; events after the snapshot wait for it. */
  onConnected(live: LiveChannel[], at: Date): void | Promise<void>;
  /** When a logged-in connection ends (also on stop()). */
  onDisconnected(at: Date, reason: string): void;
}

export interface AmiConnectionStatus {
  id: string;
  /** Logged in right now. */
  connected: boolean;
  lastEventAt: Date | null;
  /** Reading is paused (back-pressure). */
  paused: boolean;
  /** Successful logins since start(); more than one means reconnects. */
  connects: number;
  /** Why the last connection or attempt ended, null before any. */
  lastError: string | null;
}

export interface AmiActionOptions {
  timeoutMs?: number;
}
