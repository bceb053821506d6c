import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../../auth/passwords';
import { agentForSignIn } from '../../db/agents';
import type { LoginLimiter } from '../../auth/login-limiter';
import type { SessionService } from '../../auth/sessions';
import { SESSION_COOKIE, tokenFrom } from '../auth';
import { tooManyRequests, unauthorized } from '../errors';
import { AgentBody, ChangePasswordBody, LoginBody } from '../../wire/agent';
import type { AgentService } from '../../services/agent-service';
import { errorResponses } from '../../wire/common';

export function sessionRoutes(app: FastifyInstance, deps: { ds: DataSource; sessions: SessionService; agents: AgentService; limiter: LoginLimiter; sessionHours: number }) {
  // A hash to verify against when the login is unknown, so timing does not tell which logins exist.
  let dummyHash: Promise<string> | null = null;

  app.post<{ Body: LoginBody }>(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Log in',
        body: LoginBody,
        response: {
          200: Type.Object({ token: Type.String(), agent: AgentBody, user: AgentBody, mustChangePassword: Type.Boolean() }),
          ...errorResponses,
          429: errorResponses[400],
        },
      },
    },
    async (req, reply) => {
      const { login, password } = req.body;
      const now = new Date();
      // Counted as a failure from here until the password proves right.
      const wait = await deps.limiter.take(login, req.ip, now);
      if (wait > 0) throw tooManyRequests('too many failed logins: try again later', Math.ceil(wait / 1000));
      const row = await agentForSignIn(deps.ds, login);
      if (!row) dummyHash ??= hashPassword('not a real password');
      const ok = row ? row.active && (await verifyPassword(row.password_hash, password)) : (await verifyPassword(await dummyHash!, password), false);
      if (!ok || !row) {
        req.log.info({ login, ip: req.ip }, 'failed login');
        throw unauthorized('wrong login or password');
      }
      await deps.limiter.succeeded(login, req.ip, now);
      // A new session id at every login (no fixation): the one the browser came with, if any, ends.
      const came = tokenFrom(req).token;
      if (came) await deps.sessions.revoke(came, now);
      const token = await deps.sessions.create(row.id, new Date());
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        maxAge: deps.sessionHours * 3600,
      });
      const agent = await deps.agents.get(row.id);
      // `user` is `agent` under the name the workspace uses; with it, whether a new password is due first.
      return { token, agent, user: agent, mustChangePassword: agent.mustChangePassword };
    },
  );

  app.get(
    '/api/session',
    { schema: { tags: ['session'], summary: 'Who am I (the panel asks this at start)', response: { 200: Type.Object({ agent: Type.Union([AgentBody, Type.Null()]) }) } } },
    async (req) => ({ agent: req.agent ? await deps.agents.get(req.agent.id) : null }),
  );

  app.get('/api/me', { schema: { tags: ['session'], summary: 'Who am I', response: { 200: AgentBody, ...errorResponses } } }, async (req) => deps.agents.get(req.agent!.id));

  app.post<{ Body: ChangePasswordBody }>(
    '/api/me/password',
    {
      schema: {
        tags: ['session'],
        summary: 'Change my own password (the current one is asked); my other sessions end',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const agent = req.agent!;
      await deps.agents.changeOwnPassword(agent.id, req.body.currentPassword, req.body.newPassword);
      await deps.sessions.endOthers(agent.id, req.sessionToken!);
      req.log.info({ agent: agent.login }, 'password changed by its owner');
      return reply.code(204).send();
    },
  );

  app.delete('/api/session', { schema: { tags: ['session'], summary: 'Log out' } }, async (req, reply) => {
    if (req.sessionToken) await deps.sessions.revoke(req.sessionToken, new Date());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}
