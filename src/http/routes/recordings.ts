// A call's recordings and voicemail, played from RECORDINGS_DIR (the PBX's spool, mounted here):
// streamed with byte ranges so that a browser's <audio> can seek. Supervisors and admins hear
// every call; an agent hears the calls their phone was on.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CallQueries } from '../../db/call-queries';
import { RecordingRefused, type RecordingFiles } from '../../services/recording-files';
import { ErrorBody, errorResponses } from '../../wire/common';
import { isStaff } from '../auth';
import { disposition } from '../content-disposition';
import { forbidden, HttpError, notFound } from '../errors';

const Params = Type.Object({
  id: Type.String({ format: 'uuid' }),
  n: Type.Integer({ minimum: 0, maximum: 1000, description: "the recording's index in the call's `recordings`" }),
});

const AUDIO_TYPES = ['audio/wav', 'audio/x-gsm', 'audio/mpeg', 'audio/ogg'];

/** One byte range of `Range: bytes=…` (several ranges, or a malformed header: the whole file). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}

const recordingNotFound = (message: string) => new HttpError(404, 'recording_not_found', message);

export function recordingRoutes(app: FastifyInstance, deps: { calls: CallQueries; files: RecordingFiles }): void {
  app.get<{ Params: { id: string; n: number } }>(
    '/api/calls/:id/recordings/:n',
    {
      schema: {
        tags: ['calls'],
        summary: "Play a call's recording or voicemail from RECORDINGS_DIR (byte ranges; supervisors, admins and the agents on the call)",
        params: Params,
        produces: AUDIO_TYPES,
        response: { 200: Type.String({ format: 'binary' }), 206: Type.String({ format: 'binary' }), ...errorResponses, 416: ErrorBody },
      },
    },
    async (req, reply) => {
      const agent = req.agent!;
      const call = await deps.calls.get(req.params.id);
      if (!call) throw notFound('call');
      if (!isStaff(agent) && !call.legs.some((l) => l.agentId === agent.id)) {
        throw forbidden('only supervisors, admins and the agents who were on the call may listen to it');
      }
      const rec = call.recordings[req.params.n];
      if (!rec) throw recordingNotFound(`the call has no recording ${req.params.n}`);
      if (!deps.files.configured) throw recordingNotFound('RECORDINGS_DIR is not set: no recording can be played');
      let found;
      try {
        found = await deps.files.find(rec.file, rec.kind);
      } catch (err) {
        if (err instanceof RecordingRefused) throw new HttpError(403, 'recording_refused', `${err.message}: not served`);
        throw err;
      }
      if (!found) throw recordingNotFound(`${path.basename(rec.file)} is not in RECORDINGS_DIR`);

      // A validator we do not keep: If-Range means the whole file.
      const range = req.headers['if-range'] === undefined ? byteRange(req.headers.range, found.size) : null;
      reply.header('accept-ranges', 'bytes');
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${found.size}`);
        throw new HttpError(416, 'range_not_satisfiable', `the file has ${found.size} bytes`);
      }
      reply
        .header('content-type', found.contentType)
        .header('content-disposition', disposition('inline', path.basename(found.path)))
        .header('x-content-type-options', 'nosniff');
      if (range === null) {
        reply.header('content-length', String(found.size));
        return reply.send(createReadStream(found.path));
      }
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${found.size}`).header('content-length', String(range.end - range.start + 1));
      return reply.send(createReadStream(found.path, { start: range.start, end: range.end }));
    },
  );
}
