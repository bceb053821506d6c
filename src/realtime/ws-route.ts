import '../http/plugin-types';
// The WebSocket edge: `/ws` with the session (token or cookie). A browser from a foreign origin
// is refused; clients without an Origin (API clients with a token) are allowed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { forbidden, unauthorized } from '../http/errors';
import { ClientMessageBodies, type ClientMessage, type ServerMessageOf } from '../wire/socket';
import type { Hub, HubClient } from './hub';
import { errorMessage, pongMessage } from './messages';

export interface SocketSession {
  /** The first message on every (re)connect. */
  snapshot(agent: NonNullable<FastifyRequest['agent']>): Promise<ServerMessageOf<'snapshot'>>;
  onOpen?(count: number): void;
  /** A supervisor's socket watches the live board: send it the current one. */
  board?(send: (text: string) => void): Promise<void>;
}

/** The topic the live board's watchers are kept under in the hub. */
export const BOARD_TOPIC = 'board';

const clientChecks = new Map(Object.entries(ClientMessageBodies).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]));

/** A client message checked against its schema, or what is wrong with it (as an `error` message). */
export function readClientMessage(text: string): ClientMessage | ServerMessageOf<'error'> {
  let msg: any;
  try {
    msg = JSON.parse(text);
  } catch {
    return errorMessage('bad_json', 'the message is not valid JSON');
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string') return errorMessage('bad_message', "a message needs a string 'type'");
  const check = clientChecks.get(msg.type);
  if (!check) return errorMessage('unknown_type', `unknown message type '${String(msg.type).slice(0, 64)}'`);
  const wrong = check.Errors(msg).First();
  if (wrong) return errorMessage('bad_message', `'${msg.type}': ${wrong.path ? `field '${wrong.path.slice(1)}' ` : ''}${wrong.message.toLowerCase()}`);
  return msg as ClientMessage;
}

/** Client messages are small (ping, which request is open): beyond this, the socket is closed with a reason. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** What the ws library buffers at most; bigger frames are cut off by it (1009, without a reason text). */
const MAX_FRAME_BYTES = 256 * 1024;
/**
 * Pushes a socket has left unread in the service (beyond what the kernel holds) at most: a client
 * that stopped reading (a frozen tab, a dead link the kernel has not noticed yet) is dropped rather
 * than held in memory without bound. Its panel reconnects and gets a fresh snapshot; nothing it
 * shows is lost. A busy supervisor's socket that reads takes a batch's pushes in one tick, and is
 * judged only on what earlier ticks left unsent.
 */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function wsRoute(app: FastifyInstance, hub: Hub, session: SocketSession): void {
  app.get(
    '/ws',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (req) => {
        if (!req.agent) throw unauthorized();
        if (!sameOrigin(req)) throw forbidden('foreign origin');
      },
    },
    (socket: WebSocket, req: FastifyRequest) => {
      const agent = req.agent!;
      // The first message of a tick is written at once (a screen pop waits for nothing); the ones
      // that follow it in the same tick (a batch's pushes to a supervisor) are corked and leave
      // together at the end of the tick: one syscall instead of one each.
      const tcp = req.raw.socket;
      let inTick = false;
      let corked = false;
      const endTick = () => {
        inTick = false;
        if (corked) {
          corked = false;
          tcp.uncork();
        }
      };
      const sendNow = (text: string) => {
        if (socket.readyState !== socket.OPEN) return;
        if (!inTick) {
          if (socket.bufferedAmount > MAX_UNREAD_BYTES) {
            req.log.warn({ agentId: agent.id, unreadBytes: socket.bufferedAmount }, 'a WebSocket client does not read its messages; dropping it (it reconnects for a fresh snapshot)');
            socket.terminate();
            return;
          }
          inTick = true;
          process.nextTick(endTick);
        } else if (!corked) {
          corked = true;
          tcp.cork();
        }
        socket.send(text);
      };
      // Messages are held until the snapshot is out, so it is always the first thing a socket gets.
      const early: string[] = [];
      let ready = false;
      const client: HubClient = {
        agentId: agent.id,
        role: agent.role,
        send: (text) => (ready ? sendNow(text) : void early.push(text)),
      };
      const error = (code: string, message: string) => sendNow(JSON.stringify(errorMessage(code, message)));
      hub.add(client);
      session.onOpen?.(hub.size);
      // The session ending (logout, agent disabled, new password) ends the socket; a changed role
      // or extension asks the panel to reconnect (its audience changes).
      const unwatch = app.sessions.watch(req.sessionToken!, agent, (why) =>
        why === 'ended' ? socket.close(4001, 'session ended: log in again') : socket.close(4000, 'session changed: reconnect'),
      );

      session
        .snapshot(agent)
        .then((snap) => {
          sendNow(JSON.stringify(snap));
          ready = true;
          for (const t of early.splice(0)) sendNow(t);
        })
        .catch((err) => {
          req.log.error({ err }, 'snapshot failed');
          socket.close(1011, 'snapshot failed');
        });

      socket.on('message', (data, isBinary) => {
        if (byteLength(data) > MAX_MESSAGE_BYTES) return socket.close(1009, `message too big: at most ${MAX_MESSAGE_BYTES / 1024} KiB`);
        if (isBinary) return error('bad_message', 'binary messages are not understood');
        const msg = readClientMessage(data.toString());
        switch (msg.type) {
          case 'error':
            return sendNow(JSON.stringify(msg));
          case 'ping':
            return sendNow(JSON.stringify(pongMessage()));
          case 'ticket.open':
            return hub.watch(client, msg.ticketId);
          case 'ticket.close':
            return hub.unwatch(client, msg.ticketId);
          case 'board.watch':
            if (agent.role === 'agent') return error('forbidden', 'the live board is for supervisors');
            hub.watch(client, BOARD_TOPIC);
            return void session.board?.(client.send).catch((err) => {
              req.log.warn({ err }, 'the board could not be sent');
              error('board_unavailable', 'the board could not be read; it comes with the next change');
            });
          case 'board.unwatch':
            return hub.unwatch(client, BOARD_TOPIC);
          default: {
            const _: never = msg;
            return _;
          }
        }
      });
      socket.on('close', () => {
        unwatch();
        hub.remove(client);
        session.onOpen?.(hub.size);
      });
    },
  );
}

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

export const wsOptions = { maxPayload: MAX_FRAME_BYTES };
