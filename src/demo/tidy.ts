// Pass after pass, the demo's calls leave drafts nobody typed into: a real desk registers or
// discards each, a newcomer watching the demo does not, and the panel would fill with tabs. The
// demo's supervisor discards them (`test`, journaled as theirs) a while after their call ended. A
// draft anyone wrote into, reprioritised, attached to or split is left alone.
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';
import { activeAgentByLogin } from '../db/agents';
import { untouchedDrafts } from '../db/ticket-sweeps';
import type { TicketService } from '../services/ticket-service';

export interface TidyOptions {
  ds: DataSource;
  tickets: TicketService;
  /** Who discards (the demo supervisor's login). */
  login: string;
  /** Age of the ended call after which its untouched draft goes (default 2 min). */
  afterMs?: number;
  logger: Logger;
}

/** Discards the untouched drafts of calls that ended more than `afterMs` ago; returns how many. */
export async function tidyDrafts(o: TidyOptions): Promise<number> {
  const found = await activeAgentByLogin(o.ds, o.login);
  if (!found) return 0;
  const actor: AuthAgent = { ...found, mustChangePassword: false };
  const drafts = await untouchedDrafts(o.ds, (o.afterMs ?? 120_000) / 1000);
  let discarded = 0;
  for (const d of drafts) {
    try {
      // The version read above: a draft someone starts typing into meanwhile is a conflict, and stays.
      await o.tickets.transition(d.id, { to: 'discarded', reason: 'test' }, actor, { expectedVersion: d.version });
      discarded++;
    } catch (err) {
      o.logger.debug({ err, ticketId: d.id }, 'demo: draft left as it is');
    }
  }
  return discarded;
}

/** Runs tidyDrafts every `everyMs` until the returned function is called. */
export function startTidying(o: TidyOptions & { everyMs?: number }): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = tidyDrafts(o).catch((err) => o.logger.warn({ err }, 'demo: tidying drafts failed'));
  }, o.everyMs ?? 20_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
