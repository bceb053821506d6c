// Listens on one PostgreSQL notification channel for good: a dedicated connection, reconnected when
// the database comes back. Notifications sent while it was away are lost, so `changed` is called
// on every (re)connect too: whoever listens reloads what the channel is about.
import pg from 'pg';

export interface ChangeListener {
  stop(): Promise<void>;
}

export function listenForChanges(databaseUrl: string, channel: string, changed: () => void, retryMs = 1000): ChangeListener {
  let stopped = false;
  let client: pg.Client | null = null;
  let wake: (() => void) | null = null;
  const loop = async () => {
    while (!stopped) {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: `calldesk-${channel}` });
      client = c;
      // Listened to from the start: an error while connecting must not become an uncaught exception.
      const gone = new Promise<void>((resolve) => {
        c.on('error', () => resolve());
        c.once('end', () => resolve());
      });
      try {
        await c.connect();
        c.on('notification', (n) => {
          if (n.channel === channel) changed();
        });
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        changed();
        await gone;
      } catch {
        // the database is away: retry below
      }
      client = null;
      await c.end().catch(() => undefined);
      if (!stopped) await new Promise<void>((r) => ((wake = r), setTimeout(r, retryMs).unref()));
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      await (client as pg.Client | null)?.end().catch(() => undefined);
      (wake as (() => void) | null)?.();
      await running;
    },
  };
}
