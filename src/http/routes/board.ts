// The supervisors' live board (also pushed as `board.updated` to sockets that sent `board.watch`).
import type { FastifyInstance } from 'fastify';
import type { BoardService } from '../../services/board-service';
import { BoardBody } from '../../wire/board';
import { errorResponses } from '../../wire/common';
import { requireRole } from '../auth';

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
      requireRole(req, 'supervisor', 'admin');
      return deps.board.board();
    },
  );
}
