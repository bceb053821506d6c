import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { forbidden } from '../errors';
import type { Metrics } from '../../metrics';
import { VERSION } from '../../version';

export interface HealthSource {
  db(): Promise<boolean>;
  pbx(): { id: string; connected: boolean; lastEventAt: string | null }[];
  backPressure(): boolean;
  /** Mails waiting in the outbox; absent when no mail is sent. */
  mailOutbox?: () => Promise<number>;
}

export function healthRoutes(app: FastifyInstance, deps: { health: HealthSource; metrics: Metrics; metricsToken?: string }) {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Is the service up; are the database and each PBX reachable',
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
            version: Type.String({ description: "calldesk's release (semver), as in CHANGELOG.md" }),
            db: Type.Boolean(),
            backPressure: Type.Boolean(),
            pbx: Type.Array(Type.Object({ id: Type.String(), connected: Type.Boolean(), lastEventAt: Type.Union([Type.String(), Type.Null()]) })),
            mail: Type.Optional(Type.Object({ outbox: Type.Optional(Type.Integer({ description: 'mails waiting to be sent' })) }, { additionalProperties: true })),
          }),
        },
      },
    },
    async () => {
      const db = await deps.health.db();
      const pbx = deps.health.pbx();
      const backPressure = deps.health.backPressure();
      const ok = db && !backPressure && pbx.every((p) => p.connected);
      const outbox = deps.health.mailOutbox ? await deps.health.mailOutbox().catch(() => undefined) : undefined;
      return { status: ok ? 'ok' : 'degraded', version: VERSION, db, backPressure, pbx, ...(outbox !== undefined ? { mail: { outbox } } : {}) };
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (deps.metricsToken && req.headers.authorization !== `Bearer ${deps.metricsToken}`) throw forbidden('metrics need the metrics token');
    deps.metrics.refresh();
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
