import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CallQueries } from '../../db/call-queries';
import { notFound } from '../errors';
import { checkPeriod } from '../period';
import { CallBody, CallListQuery } from '../../wire/call';
import { IdParams, errorResponses } from '../../wire/common';
import { normalizeQueryNumber } from '../query-number';
import type { RecordingFiles } from '../../services/recording-files';
import { recordingRoutes } from './recordings';

export function callRoutes(app: FastifyInstance, deps: { calls: CallQueries; recordings: RecordingFiles }) {
  app.get<{ Querystring: CallListQuery }>(
    '/api/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'Calls, newest first (cursor pagination)',
        querystring: CallListQuery,
        response: { 200: Type.Object({ items: Type.Array(CallBody), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      checkPeriod(q);
      return deps.calls.list({ ...q, callerNumber: normalizeQueryNumber(q.callerNumber), limit: q.limit ?? 50 });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/calls/:id',
    {
      schema: {
        tags: ['calls'],
        summary: 'One call with its legs, requests and recordings (each saying whether RECORDINGS_DIR has its file)',
        params: IdParams,
        response: { 200: CallBody, ...errorResponses },
      },
    },
    async (req) => {
      const call = await deps.calls.get(req.params.id);
      if (!call) throw notFound('call');
      // One call's few files are looked for; lists say nothing of it (a hundred calls' files would be).
      for (const r of call.recordings) r.available = await deps.recordings.available(r.file, r.kind);
      return call;
    },
  );

  recordingRoutes(app, { calls: deps.calls, files: deps.recordings });
}
