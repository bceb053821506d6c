// What a customer link does: shows the request and the actions it still offers, and acts once —
// as the customer (journaled on their behalf, channel `link`), through the same commands an
// agent relaying them would run. A link is spent by the first decision taken through it.
import type { DataSource, EntityManager } from 'typeorm';
import { customerLinkByHash, markCustomerLinkUsed, type CustomerLinkRow } from '../db/customer-links';
import type { TicketService } from '../services/ticket-service';
import type { TicketCommand } from '../tickets/commands';
import { looksLikeToken, tokenHash } from './tokens';
import { linkState, type LinkAction, type LinkState } from './validity';

export type LinkView = { kind: 'missing' } | { link: CustomerLinkRow; state: LinkState };

export type LinkOutcome = LinkView | { kind: 'done'; link: CustomerLinkRow; action: LinkAction } | { kind: 'needs_reason'; link: CustomerLinkRow; actions: LinkAction[] };

class Refused extends Error {
  constructor(readonly view: LinkView) {
    super('link refused');
  }
}

const stateOf = (l: CustomerLinkRow, now: Date) =>
  linkState(
    { actions: l.actions, completedAt: l.completed_at, usedAt: l.used_at, usedAction: l.used_action },
    { status: l.status, completedAt: l.ticket_completed_at, closedAt: l.closed_at },
    now,
  );

export class CustomerLinks {
  constructor(
    private readonly ds: DataSource,
    private readonly tickets: TicketService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async show(token: string): Promise<LinkView> {
    if (!looksLikeToken(token)) return { kind: 'missing' };
    const link = await customerLinkByHash(this.ds, tokenHash(token));
    if (!link) return { kind: 'missing' };
    const state = stateOf(link, this.now());
    return state.kind === 'expired' ? { kind: 'missing' } : { link, state };
  }

  async act(token: string, action: LinkAction, reason: string): Promise<LinkOutcome> {
    const seen = await this.show(token);
    if (!('link' in seen)) return seen;
    if (action === 'disagree' && reason.trim() === '' && seen.state.kind === 'open' && seen.state.actions.includes('disagree')) {
      return { kind: 'needs_reason', link: seen.link, actions: seen.state.actions };
    }
    const hash = tokenHash(token);
    const command: TicketCommand =
      action === 'confirm'
        ? { type: 'confirm', comment: null, channel: 'link' }
        : action === 'disagree'
          ? { type: 'reopen', comment: reason.trim(), channel: 'link' }
          : { type: 'withdraw', comment: null, channel: 'link' };
    // Under the link's and the request's locks: a second click, or a change since the page was read, is refused here.
    const spend = async (m: EntityManager) => {
      const link = await customerLinkByHash(m, hash, true);
      if (!link) throw new Refused({ kind: 'missing' });
      const state = stateOf(link, this.now());
      if (state.kind !== 'open' || !state.actions.includes(action)) throw new Refused({ link, state: state.kind === 'open' ? { kind: 'outdated', status: link.status } : state });
      await markCustomerLinkUsed(m, hash, action);
    };
    try {
      await this.tickets.executeAfter(seen.link.ticket_id, spend, command, null);
    } catch (err) {
      if (err instanceof Refused) return err.view;
      if ((err as Error).name === 'IllegalTransition') return { link: seen.link, state: { kind: 'outdated', status: seen.link.status } };
      throw err;
    }
    return { kind: 'done', link: seen.link, action };
  }
}
