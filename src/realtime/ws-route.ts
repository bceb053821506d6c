import '../http/plugin-types';
// The WebSocket edge: `/ws` with the session (token or cookie). A browser from a foreign origin
// is refused; clients without an Origin (API clients with a token) are allowed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { forbidden, unauthorized } from '../http/errors';
import type { Hub, HubClient } from './hub';

export interface SocketSession {
  /** The first message on every (re)connect. */
  snapshot(agent: NonNullable<FastifyRequest['agent']>): Promise<Record<string, unknown>>;
  onOpen?(count: number): void;
}

/** Client messages are small (ping, which request is open): beyond this, the socket is closed with a reason. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** What the ws library buffers at most; bigger frames are cut off by it (1009, without a reason text). */
const MAX_FRAME_BYTES = 256 * 1024;

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
      const error = (code: string, message: string) => sendNow(JSON.stringify({ type: 'error', error: code, message }));
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
          sendNow(JSON.stringify({ type: 'snapshot', ...snap }));
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
        let msg: any;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return error('bad_json', 'the message is not valid JSON');
        }
        if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return error('bad_message', "a message needs a string 'type'");
        switch (msg.type) {
          case 'ping':
            return sendNow(JSON.stringify({ type: 'pong' }));
          case 'ticket.open':
            if (typeof msg.ticketId !== 'string') return error('bad_message', "'ticket.open' needs 'ticketId'");
            return hub.watch(client, msg.ticketId);
          case 'ticket.close':
            if (typeof msg.ticketId !== 'string') return error('bad_message', "'ticket.close' needs 'ticketId'");
            return hub.unwatch(client, msg.ticketId);
          default:
            return error('unknown_type', `unknown message type '${String(msg.type).slice(0, 64)}'`);
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
