// The agent panel: `/` and its hashed assets, public (the page itself holds no data; everything it
// shows comes from the API with the session). Built at start when missing or stale, so a fresh
// clone's `npm start` serves it. A failed build does not stop the service: the API keeps serving
// and `/` says what went wrong.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ensureUiBuilt, UI_DIST_DIR, type UiManifest } from '../../ui/build';

// The panel loads nothing from elsewhere; the WebSocket is same-origin ('self' covers ws:/wss:).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The panel's pages (src/ui/panel/routes.ts). */
export const PANEL_PATHS = ['/', '/tickets', '/tickets/:key', '/calls', '/calls/:id', '/contacts', '/contacts/:id', '/organisations/:id', '/me', '/admin/users', '/board', '/review', '/admin/blocked', '/admin/mail', '/reports'];

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export interface UiRouteOptions {
  distDir?: string;
  srcDir?: string;
}

export async function uiRoutes(app: FastifyInstance, opts: UiRouteOptions = {}): Promise<void> {
  const distDir = opts.distDir ?? UI_DIST_DIR;
  const log = app.log.child({ module: 'ui' });
  let manifest: UiManifest | null = null;
  let page: string | null = null;
  const assets = new Map<string, Buffer>();
  try {
    manifest = await ensureUiBuilt({ outDir: distDir, srcDir: opts.srcDir, logger: log });
    page = await fs.readFile(path.join(distDir, 'index.html'), 'utf8');
    for (const name of [manifest.js, manifest.css]) assets.set(name, await fs.readFile(path.join(distDir, 'assets', name)));
    if (manifest.jsGzipBytes > 100 * 1024) log.warn({ jsGzipBytes: manifest.jsGzipBytes }, 'the panel script is over its 100 KB gzipped budget');
  } catch (err) {
    log.error({ err }, 'the agent panel could not be built; the API still serves');
  }

  const html = (reply: FastifyReply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8');

  // The panel's own addresses (it routes in the browser): each serves the page, so a bookmark or a
  // reload lands where it was.
  const servePage = async (_req: unknown, reply: FastifyReply) => {
    if (!page) return html(reply).code(503).send('<!doctype html><meta charset="utf-8"><title>calldesk</title><p>The panel could not be built: see the service log.</p>');
    return html(reply).send(page);
  };
  for (const url of PANEL_PATHS) app.get(url, { schema: { hide: true } }, servePage);

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 120 }) }) } },
    async (req, reply) => {
      // Only the files of this build: no path from the request ever reaches the file system.
      const body = assets.get(req.params.file);
      if (!body) return reply.code(404).send({ error: 'not_found', message: 'no such asset' });
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(TYPES[path.extname(req.params.file)] ?? 'application/octet-stream')
        .send(body);
    },
  );
}
