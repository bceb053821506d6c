// The supervisors' review queue.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ReviewService } from '../../services/review-service';
import { errorResponses } from '../../wire/common';
import { ResolveReviewBody, ReviewItemParams, ReviewListBody, type ResolveReview } from '../../wire/review';

export function reviewRoutes(app: FastifyInstance, deps: { review: ReviewService }): void {
  app.get(
    '/api/review',
    { schema: { tags: ['supervision'], summary: 'Supervisors: what needs a second look, oldest first', response: { 200: ReviewListBody, ...errorResponses } } },
    async (req) => {
      const items = await deps.review.items();
      return { items: items.map((i) => ({ ...i, since: i.since.toISOString() })) };
    },
  );

  app.post<{ Params: { id: string }; Body: ResolveReview }>(
    '/api/review/:id/resolve',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Supervisors: resolve an item with a note (journaled on its request)',
        params: ReviewItemParams,
        body: ResolveReviewBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const agent = req.agent!;
      await deps.review.resolve(req.params.id, req.body.note.trim(), agent);
      return reply.code(204).send();
    },
  );
}
