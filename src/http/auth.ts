import './plugin-types';
// Who is asking: a bearer token (API clients) or the session cookie (the browser), and may they
// reach the route at all: one table says so for every route (route-rules.ts).
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { AuthAgent, SessionService } from '../auth/sessions';
import type { Role } from '../tickets/roles';
import { forbidden, HttpError, unauthorized } from './errors';
import { accessOf, ROLES_WITH } from './route-rules';

export const SESSION_COOKIE = 'calldesk_session';
/** Browsers using the cookie must send this header on changes: a foreign site cannot (CSRF). */
export const CSRF_HEADER = 'x-calldesk-csrf';

declare module 'fastify' {
  interface FastifyInstance {
    /** The session service, for edges that hold a session open (the WebSocket). */
    sessions: SessionService;
    /** Every route registered after the auth hook, with its schema (what the tests walk). */
    routeList: { method: string; url: string; schema?: FastifySchema }[];
  }
  interface FastifyRequest {
    agent: AuthAgent | null;
    sessionToken: string | null;
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
  const routeList: FastifyInstance['routeList'] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routeList.push({ method, url: route.url, schema: route.schema });
      if (!accessOf(method, route.url)) throw new Error(`${method} ${route.url} has no line in src/http/route-rules.ts: say who may reach it`);
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // the not-found handler: nothing to protect
    // Decided by the route the router matched, never by the raw URL: the router decodes the path,
    // so `/%61pi/calls` reaches `/api/calls` while not starting with `/api/`.
    const access = accessOf(req.method, url);
    if (access === 'public') return;
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
    if (!access || !ROLES_WITH[access].includes(info.agent.role)) throw forbidden();
    req.agent = info.agent;
    req.sessionToken = token;
  });
}

const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'GET /api/session', 'DELETE /api/session']);

export const isStaff = (agent: AuthAgent) => agent.role === 'supervisor' || agent.role === 'admin';
