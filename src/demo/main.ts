// `npm run demo`: the service on its own embedded database (var/demo), a built-in PBX replaying the
// recorded real calls, demo agents; prints where to go and how to log in; Ctrl-C stops it all.
import net from 'node:net';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { loadConfig, type Config } from '../config/config';
import { REDACT } from '../logger';
import type { DemoAgent, EnsuredAgent } from './agents';
import { startDemo } from './demo';

const DEFAULT_PORT = 3000;

/** True when `port` can be listened on (another calldesk may hold 3000). */
async function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function banner(url: string, agents: EnsuredAgent[], admin: DemoAgent): string {
  const rows = [...agents, { ...admin, created: true }].map((a) => {
    const who = a.role === 'agent' ? `agent, extension ${a.extension}` : a.role;
    const note = a.created ? '' : '   (from an earlier run: password as it was left)';
    return `    ${a.login.padEnd(12)} ${a.password.padEnd(17)} ${a.name} (${who})${note}`;
  });
  return [
    '',
    '  calldesk demo',
    '',
    `  Open ${url} and log in:`,
    '',
    `    ${'login'.padEnd(12)} ${'password'.padEnd(17)} who`,
    ...rows,
    '',
    '  The demo PBX replays recorded real calls to the support line +7 (921) 941-60-04, a new one',
    '  every few seconds, with fresh numbers on every pass; 101–103 ring in turn. Ctrl-C stops.',
    '',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const env = process.env;
  const base = loadConfig(env);
  const host = env.HOST || '127.0.0.1';
  const port = env.PORT ? base.port : (await portFree(DEFAULT_PORT, host)) ? DEFAULT_PORT : 0;
  // Its own embedded database beside the real one's, so that demo calls never mix with real ones.
  const config: Config = { ...base, host, port, databaseUrl: undefined, dataDir: path.join(base.dataDir, 'demo') };
  // The printed logins are the point of the terminal: the log says only what went wrong.
  let muted = false;
  const logger = pino(
    { level: env.LOG_LEVEL || 'warn', redact: { paths: REDACT, censor: '[redacted]' } },
    { write: (line: string) => void (muted || process.stdout.write(line)) },
  );
  const speed = env.DEMO_SPEED ? Number(env.DEMO_SPEED) : undefined;
  if (speed !== undefined && !(speed > 0)) throw new Error(`DEMO_SPEED must be a positive number, not ${env.DEMO_SPEED}`);

  const starting = startDemo({
    config,
    logger,
    speed,
    onPass: (pass) => {
      if (pass > 0) process.stdout.write(`  ${new Date().toLocaleTimeString('en-GB')}  pass ${pass + 1} of the recorded calls, new callers\n`);
    },
  });
  // Installed before the start completes, so that Ctrl-C during it still stops what started.
  closeWithGrace({ delay: 15_000 }, async ({ err }) => {
    if (err) logger.error({ err }, 'demo stopping after an error');
    // Ctrl-C reaches the embedded PostgreSQL too (same process group), which shuts down at once:
    // what the closing service then says about lost connections is expected, not news.
    else muted = true;
    process.stdout.write('\n  Stopping the demo…\n');
    const demo = await starting.catch(() => null);
    await demo?.stop();
    process.stdout.write('  Stopped.\n');
  });
  const demo = await starting;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  process.stdout.write(banner(`http://${shown.includes(':') ? `[${shown}]` : shown}:${demo.service.port}/`, demo.agents, demo.admin));
}

main().catch((err) => {
  process.stderr.write(`calldesk demo failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
