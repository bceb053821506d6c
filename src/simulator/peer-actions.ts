// How the peer answers actions, like Asterisk does: Login, Ping, Logoff, CoreShowChannels,
// Status; unknown actions get Asterisk's error; a test can answer any action itself.
import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AmiPeer } from './ami-peer';
import { coreShowChannelsAnswer, statusAnswer } from './peer-channels';
import type { AmiFields } from './scenarios';

export type ActionHandler = (fields: AmiFields, actionId: string) => string | string[] | null;

export interface PeerClient {
  id: number;
  socket: net.Socket;
  input: string;
  loggedIn: boolean;
  events: boolean;
  chain: Promise<void>;
}

/** The peer's own settings an answer needs. */
export interface PeerOwn {
  handlers: ReadonlyMap<string, ActionHandler>;
  fullyBooted: boolean;
  startedAt: number;
}

const CRLF = '\r\n';

/** A header's value, whatever the case of its name. */
export function header(fields: AmiFields, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const k in fields) if (k.toLowerCase() === lower) return fields[k];
  return undefined;
}

export async function answerAction(peer: AmiPeer, own: PeerOwn, client: PeerClient, name: string, fields: AmiFields): Promise<void> {
  const delay = peer.actionDelays.get(name);
  if (delay) await sleep(delay);
  if (peer.isSilenced || client.socket.destroyed) return;
  const actionId = header(fields, 'ActionID') ?? '';
  const idFields: AmiFields = actionId ? { ActionID: actionId } : {};
  const idLine = actionId ? `ActionID: ${actionId}${CRLF}` : '';
  const write = (frames: string | string[]): void => {
    client.socket.write(Array.isArray(frames) ? frames.join('') : frames);
  };
  const custom = own.handlers.get(name);
  if (custom) {
    const out = custom(fields, actionId);
    if (out !== null) write(out);
    return;
  }
  if (name === 'login') {
    const ok = header(fields, 'Username') === peer.username && header(fields, 'Secret') === peer.secret;
    if (!ok) {
      write(`Response: Error${CRLF}${idLine}Message: Authentication failed${CRLF}${CRLF}`);
      peer.emit('login-failed', client.id);
      client.socket.end();
      return;
    }
    client.loggedIn = true;
    client.events = (header(fields, 'Events') ?? 'on').toLowerCase() !== 'off';
    write(`Response: Success${CRLF}${idLine}Message: Authentication accepted${CRLF}${CRLF}`);
    if (own.fullyBooted && client.events) {
      const up = Math.floor((Date.now() - own.startedAt) / 1000);
      write(`Event: FullyBooted${CRLF}Privilege: system,all${CRLF}Uptime: ${up}${CRLF}LastReload: ${up}${CRLF}Status: Fully Booted${CRLF}${CRLF}`);
    }
    peer.logins++;
    peer.emit('login', client.id);
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
      write(coreShowChannelsAnswer(peer.liveChannels(), idLine, idFields));
      return;
    case 'status':
      write(statusAnswer(peer.liveChannels(), idLine, idFields, header(fields, 'Channel')));
      return;
    default:
      write(
        `Response: Error${CRLF}${idLine}Message: Invalid/unknown command: ${header(fields, 'Action') ?? ''}. ` +
          `Use Action: ListCommands to show available commands.${CRLF}${CRLF}`,
      );
  }
}
