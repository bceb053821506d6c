// The supervisors' live board (also pushed as `board.updated` to sockets that sent `board.watch`).
import type { FastifyInstance } from 'fastify';
import type { BoardService } from '../../services/board-service';
import { BoardBody } from '../../wire/board';
import { errorResponses } from '../../wire/common';

export function boardRoutes(app: FastifyInstance, deps: { board: BoardService }): void {
  app.get(
    '/api/board',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Supervisors: every agent’s presence, the callers waiting, today’s figures',
        response: { 200: BoardBody, ...errorResponses },
      },
    },
    async (req) => {
      return deps.board.board();
    },
  );
}
