// R5 screenshots over HTTP. Uploads are the raw image bytes as the body (a browser sends a File
// with `fetch(url, {method: 'POST', body: file})`); the type is read from the bytes whatever
// Content-Type says, so the routes live in their own scope that takes any body as a buffer.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AttachmentService } from '../../services/attachments';
import { IMAGE_TYPES } from '../../tickets/ticket';
import { AttachmentBody } from '../../wire/attachment';
import { disposition } from '../content-disposition';
import { notFound } from '../errors';
import { ErrorBody, IdParams, errorResponses } from '../../wire/common';

const Uuid = Type.String({ format: 'uuid' });

const UploadQuery = Type.Object(
  { fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), callId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
const UPLOAD_TYPES = [...IMAGE_TYPES, 'application/octet-stream'];
// No `type` nor `format: binary`: the parsed body is a Buffer, which a `string` schema would refuse.
const ImageBytes = { description: 'The image bytes (PNG, JPEG, WebP or GIF); the type is read from the bytes' };
const OneParams = Type.Object({ id: Uuid, attachmentId: Uuid });

type Id = { Params: { id: string } };

export function attachmentRoutes(app: FastifyInstance, deps: { attachments: AttachmentService }): void {
  const { attachments } = deps;
  app.register(async (scope) => {
    // Any body is the image itself; JSON and other parsers do not apply here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachments.maxBytes }, (_req, body, done) => done(null, body));

    scope.post<Id & { Querystring: { fileName?: string; callId?: string } }>(
      '/api/tickets/:id/attachments',
      {
        bodyLimit: attachments.maxBytes,
        schema: {
          tags: ['tickets'],
          summary: `R5: attach a screenshot (PNG, JPEG, WebP or GIF; the body is the image, at most ${attachments.maxBytes} bytes)`,
          params: IdParams,
          querystring: UploadQuery,
          // Documented as bytes per media type; the bytes themselves are judged by the service.
          body: { content: Object.fromEntries(UPLOAD_TYPES.map((type) => [type, { schema: ImageBytes }])) },
          response: { 201: AttachmentBody, ...errorResponses, 413: ErrorBody, 415: ErrorBody },
        },
      },
      async (req, reply) => {
        const att = await attachments.add(req.params.id, req.body as Buffer, req.query.fileName, req.agent!, req.query.callId ?? null);
        return reply.code(201).send(att);
      },
    );
  });

  app.get<Id>(
    '/api/tickets/:id/attachments',
    {
      schema: {
        tags: ['tickets'],
        summary: "A request's screenshots (metadata; download each at its url)",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(AttachmentBody) }), ...errorResponses },
      },
    },
    async (req) => {
      const items = await attachments.list(req.params.id);
      if (items.length === 0 && !(await attachments.ticketExists(req.params.id))) throw notFound('request');
      return { items };
    },
  );

  app.get<{ Params: { id: string; attachmentId: string } }>(
    '/api/tickets/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Download one screenshot (served as the image type its bytes are)',
        params: OneParams,
        produces: [...IMAGE_TYPES],
        response: { 200: Type.String({ format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { meta, data } = await attachments.content(req.params.id, req.params.attachmentId);
      const etag = `"${meta.sha256}"`;
      reply
        .header('content-type', meta.contentType)
        .header('content-length', String(data.length))
        .header('content-disposition', disposition('inline', meta.fileName))
        .header('cache-control', 'private, max-age=86400')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(data);
    },
  );
}
