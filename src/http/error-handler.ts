// The single place that turns errors into `{error, message}` responses with a fitting status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors';
import { domainErrorToHttp } from './domain-errors';
import { isDiskFull } from '../db/disk-full';

function validationMessage(err: FastifyError): { field: string; message: string } {
  const first = err.validation?.[0];
  const where = err.validationContext ?? 'body';
  if (!first) return { field: where, message: err.message };
  const params = (first.params ?? {}) as Record<string, unknown>;
  const path = (first.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const prop = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const field = [path, prop].filter(Boolean).join('.') || where;
  const what =
    params.missingProperty !== undefined
      ? 'is required'
      : params.additionalProperty !== undefined
        ? 'is not allowed'
        : (first.message ?? 'is invalid');
  return { field, message: `${where} field '${field}' ${what}` };
}

// Connection-level failures (the server down, restarting, unreachable): not the request's fault.
const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const DB_DOWN_MESSAGE = /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i;

/** The database cannot be reached right now (a restart, an outage): 503, try again shortly. */
function databaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  const code = e.driverError?.code ?? e.code;
  if (typeof code === 'string' && DB_DOWN_CODES.has(code)) return true;
  return DB_DOWN_MESSAGE.test(String(e.driverError?.message ?? e.message ?? ''));
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const { field, message } = validationMessage(err);
      return reply.code(400).send({ error: 'bad_request', message, field });
    }
    const mapped = err instanceof HttpError ? err : domainErrorToHttp(err);
    if (mapped) {
      if (mapped.statusCode === 429 && mapped.details?.retryAfterSeconds) reply.header('retry-after', String(mapped.details.retryAfterSeconds));
      return reply.code(mapped.statusCode).send({ error: mapped.error, message: mapped.message, ...mapped.details });
    }
    if (isDiskFull(err)) {
      req.log.error({ err: err.message }, 'the database is out of disk space');
      return reply.code(507).send({ error: 'storage_full', message: 'the server has no room left to store this; an administrator must free disk space' });
    }
    if (databaseUnavailable(err)) {
      req.log.warn({ err: err.message }, 'database unavailable');
      return reply.code(503).header('retry-after', '5').send({ error: 'unavailable', message: 'the database is unavailable; try again shortly' });
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: 'payload_too_large', message: 'the request body is too large' });
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: err.code?.toLowerCase() ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(status >= 500 ? status : 500).send({ error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route is chosen (a path that is
 * not valid URL encoding, a path parameter over the length limit), in the same shape as the rest.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(414).send({ error: 'uri_too_long', message: 'a part of the path is too long' });
  } else if (err.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send({ error: 'bad_request', message: 'the path is not valid URL encoding', field: 'path' });
  } else {
    reply.code(500).send({ error: 'internal', message: 'internal error' });
  }
}
