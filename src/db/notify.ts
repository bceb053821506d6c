// Messages between instances over PostgreSQL LISTEN/NOTIFY (realtime/fanout.ts uses it): each
// instance listens on one connection named LISTENER_NAME; a batch is sent only when another
// instance's listener is there to hear it.
import type pg from 'pg';

export const PUSH_CHANNEL = 'calldesk_push';
/** The listening connection's application_name: how instances find each other's listeners. */
export const LISTENER_NAME = 'calldesk-fanout';

/** Another instance's listener is connected to this database (`pid` is our own listener's). */
const OTHERS_LISTEN = (pid: string) => `EXISTS (SELECT 1 FROM pg_stat_activity
                 WHERE application_name = '${LISTENER_NAME}' AND datname = current_database() AND pid <> ${pid})`;

const NOTIFY_SQL = `SELECT count(*)::int AS n FROM unnest($2::text[]) AS p, LATERAL pg_notify($1, p) WHERE ${OTHERS_LISTEN('$3')}`;

export type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/** Sends the payloads, one notification each, if another instance listens; how many were sent. */
export async function notifyOthers(query: Query, payloads: string[], ownListenerPid: number | null): Promise<number> {
  const rows = (await query(NOTIFY_SQL, [PUSH_CHANNEL, payloads, ownListenerPid])) as { n: number }[];
  return rows[0]?.n ?? 0;
}

/** Whether another instance listens now (asked before serialising pushes nobody may hear). */
export async function othersListen(query: Query, ownListenerPid: number | null): Promise<boolean> {
  const rows = (await query(`SELECT ${OTHERS_LISTEN('$1')} AS yes`, [ownListenerPid])) as { yes: boolean }[];
  return rows[0]?.yes === true;
}

/** Starts listening on a connected client; returns its backend pid (its own notifications are not sent to it). */
export async function listenForPushes(client: pg.Client): Promise<number> {
  await client.query(`LISTEN ${PUSH_CHANNEL}`);
  return (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
}
