import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { forbidden } from '../errors';
import type { Metrics } from '../../metrics';
import { VERSION } from '../../version';

export interface HealthSource {
  db(): Promise<boolean>;
  pbx(): { id: string; connected: boolean; lastEventAt: string | null }[];
  backPressure(): boolean;
  /** The e-mail channel: the mailbox (when MAIL_IMAP_URL is set) and the outbox (when MAIL_SMTP_URL is set). */
  mail?: () => Promise<{ connected?: boolean; lastUid?: number | null; quarantined?: number; outbox?: number } | undefined>;
}

export function healthRoutes(app: FastifyInstance, deps: { health: HealthSource; metrics: Metrics; metricsToken?: string }) {
  app.get(
    '/api/health',
    {
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
            mail: Type.Optional(
              Type.Object(
                {
                  connected: Type.Optional(Type.Boolean({ description: 'the support mailbox is connected (with MAIL_IMAP_URL)' })),
                  lastUid: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'the last UID read from the mailbox' })),
                  quarantined: Type.Optional(Type.Integer({ description: 'mail that could not be read, waiting for an admin' })),
                  outbox: Type.Optional(Type.Integer({ description: 'mails waiting to be sent (with MAIL_SMTP_URL)' })),
                },
                { description: 'present when mail is configured' },
              ),
            ),
          }),
        },
      },
    },
    async () => {
      const db = await deps.health.db();
      const pbx = deps.health.pbx();
      const backPressure = deps.health.backPressure();
      const mail = deps.health.mail ? await deps.health.mail().catch(() => undefined) : undefined;
      const ok = db && !backPressure && pbx.every((p) => p.connected) && (mail?.connected ?? true);
      return { status: ok ? 'ok' : 'degraded', version: VERSION, db, backPressure, pbx, ...(mail ? { mail } : {}) };
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (deps.metricsToken && req.headers.authorization !== `Bearer ${deps.metricsToken}`) throw forbidden('metrics need the metrics token');
    deps.metrics.refresh();
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
