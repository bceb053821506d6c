// Presence as the database keeps it for every instance: which agents have a socket open where
// (rows age out when their instance stops refreshing them), and the PBX's queue pauses.
import type { DataSource } from 'typeorm';

/** An instance that has not refreshed its rows for this long is gone (crashed, cut off). */
export const PRESENCE_STALE_SECONDS = 90;

export class PresenceStore {
  constructor(private readonly ds: DataSource) {}

  async online(instanceId: string, agentId: string, since: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO agent_presence (instance_id, agent_id, since) VALUES ($1, $2, $3)
        ON CONFLICT (agent_id, instance_id) DO UPDATE SET seen_at = now()`,
      [instanceId, agentId, since],
    );
  }

  async offline(instanceId: string, agentId: string): Promise<void> {
    await this.ds.query(`DELETE FROM agent_presence WHERE instance_id = $1 AND agent_id = $2`, [instanceId, agentId]);
  }

  /** This instance is alive: its agents stay online for everyone. */
  async refresh(instanceId: string): Promise<void> {
    await this.ds.query(`UPDATE agent_presence SET seen_at = now() WHERE instance_id = $1`, [instanceId]);
  }

  async clear(instanceId: string): Promise<void> {
    await this.ds.query(`DELETE FROM agent_presence WHERE instance_id = $1`, [instanceId]);
  }

  /** Agents with a socket open on any live instance, and since when. */
  async onlineAgents(): Promise<Map<string, Date>> {
    const rows: { agent_id: string; since: Date }[] = await this.ds.query(
      `SELECT agent_id, min(since) AS since FROM agent_presence
        WHERE seen_at > now() - make_interval(secs => ${PRESENCE_STALE_SECONDS}) GROUP BY agent_id`,
    );
    return new Map(rows.map((r) => [r.agent_id, new Date(r.since)]));
  }

  /** A queue member paused (with the PBX's reason) or unpaused. */
  async setPause(p: { pbx: string; extension: string; queue: string; paused: boolean; reason: string | null; at: Date }): Promise<void> {
    if (p.paused) {
      await this.ds.query(
        `INSERT INTO queue_pause (pbx, extension, queue, reason, since) VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT (pbx, extension, queue) DO UPDATE SET reason = EXCLUDED.reason`,
        [p.pbx, p.extension, p.queue, p.reason, p.at],
      );
    } else {
      await this.ds.query(`DELETE FROM queue_pause WHERE pbx = $1 AND extension = $2 AND queue = $3`, [p.pbx, p.extension, p.queue]);
    }
  }

  /** The PBX's whole list of pauses: others of this PBX end; a pause already known keeps its start. */
  async replacePauses(pbx: string, pauses: { extension: string; queue: string; reason: string | null }[], at: Date): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(
        `DELETE FROM queue_pause q WHERE q.pbx = $1
          AND NOT EXISTS (SELECT 1 FROM json_to_recordset($2::json) AS p(extension text, queue text) WHERE p.extension = q.extension AND p.queue = q.queue)`,
        [pbx, JSON.stringify(pauses)],
      );
      await m.query(
        `INSERT INTO queue_pause (pbx, extension, queue, reason, since)
          SELECT $1, p.extension, p.queue, p.reason, $3 FROM json_to_recordset($2::json) AS p(extension text, queue text, reason text)
          ON CONFLICT (pbx, extension, queue) DO UPDATE SET reason = EXCLUDED.reason`,
        [pbx, JSON.stringify(pauses), at],
      );
    });
  }

  /** Paused extensions: the earliest pause of each, with its reason. */
  async pauses(): Promise<Map<string, { reason: string | null; since: Date }>> {
    const rows: { extension: string; reason: string | null; since: Date }[] = await this.ds.query(
      `SELECT DISTINCT ON (extension) extension, reason, since FROM queue_pause ORDER BY extension, since`,
    );
    return new Map(rows.map((r) => [r.extension, { reason: r.reason, since: new Date(r.since) }]));
  }
}
