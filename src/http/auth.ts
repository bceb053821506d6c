import './plugin-types';
// Who is asking: a bearer token (API clients) or the session cookie (the browser). Every route
// needs a session unless it is marked public; roles are checked with `requireRole`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthAgent, SessionService } from '../auth/sessions';
import type { Role } from '../tickets/roles';
import { forbidden, HttpError, unauthorized } from './errors';

export const SESSION_COOKIE = 'calldesk_session';
/** Browsers using the cookie must send this header on changes: a foreign site cannot (CSRF). */
export const CSRF_HEADER = 'x-calldesk-csrf';

declare module 'fastify' {
  interface FastifyInstance {
    /** The session service, for edges that hold a session open (the WebSocket). */
    sessions: SessionService;
  }
  interface FastifyRequest {
    agent: AuthAgent | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

export function tokenFrom(req: FastifyRequest): { token: string | null; viaCookie: boolean } {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim() || null, viaCookie: false };
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  if (typeof q === 'string' && q) return { token: q, viaCookie: false };
  const cookie = req.cookies?.[SESSION_COOKIE];
  return { token: cookie || null, viaCookie: Boolean(cookie) };
}

export function installAuth(app: FastifyInstance, sessions: SessionService): void {
  app.decorate('sessions', sessions);
  app.decorateRequest('agent', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req, reply) => {
    if (isPublic(req)) return;
    // What a session sees is not for shared caches or the browser's disk (a route may say otherwise).
    reply.header('cache-control', 'no-store');
    const { token, viaCookie } = tokenFrom(req);
    if (!token) throw unauthorized();
    const info = await sessions.validate(token, new Date());
    if (!info) throw unauthorized('the session has ended: log in again');
    if (viaCookie && !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && req.headers[CSRF_HEADER] === undefined) {
      throw forbidden(`requests with the session cookie must send the ${CSRF_HEADER} header`);
    }
    // A password an admin set: nothing but reading oneself, changing it and signing out.
    if (info.agent.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url}`)) {
      throw new HttpError(403, 'password_change_required', 'change the password an admin set first: POST /api/me/password');
    }
    req.agent = info.agent;
    req.sessionToken = token;
  });
}

const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'GET /api/session', 'DELETE /api/session']);

/**
 * Decided by the route the router matched, never by the raw URL: the router decodes the path, so
 * `/%61pi/calls` reaches `/api/calls` while not starting with `/api/`. Deny by default: every route
 * needs a session unless it is marked public (or is the OpenAPI UI); no route at all is a 404.
 */
function isPublic(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  if (route === undefined) return true; // the not-found handler: nothing to protect
  if (req.routeOptions.config?.public === true) return true;
  return route === '/docs' || route.startsWith('/docs/');
}

export function requireRole(req: FastifyRequest, ...roles: Role[]): AuthAgent {
  const agent = req.agent;
  if (!agent) throw unauthorized();
  if (!roles.includes(agent.role)) throw forbidden();
  return agent;
}

export const isStaff = (agent: AuthAgent) => agent.role === 'supervisor' || agent.role === 'admin';
