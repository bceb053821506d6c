// Who is connected: sockets by agent, and which requests each socket has open. Every message is
// serialised once and the same text goes to every socket that should get it.
import type { Role } from '../tickets/roles';
import type { ServerMessage } from '../wire/socket';

export interface HubClient {
  agentId: string;
  role: Role;
  send(text: string): void;
}

export interface Audience {
  agentIds?: Iterable<string | null | undefined>;
  supervisors?: boolean;
  everyone?: boolean;
  ticketId?: string;
  /** Sockets watching a topic other than a request (the live board). */
  topic?: string;
}

/** Told when an agent's first socket opens (online) and their last one closes. */
export type PresenceListener = (agentId: string, online: boolean) => void;

export class Hub {
  private readonly byAgent = new Map<string, Set<HubClient>>();
  private readonly staff = new Set<HubClient>();
  private readonly all = new Set<HubClient>();
  private readonly watchers = new Map<string, Set<HubClient>>();
  private readonly watching = new Map<HubClient, Set<string>>();

  private presenceListener: PresenceListener | null = null;

  private publishListener: ((message: ServerMessage) => void) | null = null;

  onPresence(listener: PresenceListener): void {
    this.presenceListener = listener;
  }

  /** Told of every message published here (this instance's and other instances'): the board follows calls so. */
  onPublish(listener: (message: ServerMessage) => void): void {
    this.publishListener = listener;
  }

  add(client: HubClient): void {
    this.all.add(client);
    let set = this.byAgent.get(client.agentId);
    if (!set) {
      this.byAgent.set(client.agentId, (set = new Set()));
      this.presenceListener?.(client.agentId, true);
    }
    set.add(client);
    if (client.role !== 'agent') this.staff.add(client);
  }

  /** The socket has this request (or topic) open: it gets its `ticket.updated` (or the topic's messages) too. */
  watch(client: HubClient, ticketId: string): void {
    let w = this.watchers.get(ticketId);
    if (!w) this.watchers.set(ticketId, (w = new Set()));
    w.add(client);
    let mine = this.watching.get(client);
    if (!mine) this.watching.set(client, (mine = new Set()));
    mine.add(ticketId);
  }

  unwatch(client: HubClient, ticketId: string): void {
    const w = this.watchers.get(ticketId);
    w?.delete(client);
    if (w?.size === 0) this.watchers.delete(ticketId);
    this.watching.get(client)?.delete(ticketId);
  }

  remove(client: HubClient): void {
    for (const t of this.watching.get(client) ?? []) this.unwatch(client, t);
    this.watching.delete(client);
    this.all.delete(client);
    this.staff.delete(client);
    const set = this.byAgent.get(client.agentId);
    if (set) {
      set.delete(client);
      if (set.size === 0) {
        this.byAgent.delete(client.agentId);
        this.presenceListener?.(client.agentId, false);
      }
    }
  }

  get size(): number {
    return this.all.size;
  }

  /** How many sockets watch a request or topic. */
  watcherCount(topic: string): number {
    return this.watchers.get(topic)?.size ?? 0;
  }

  isOnline(agentId: string): boolean {
    return this.byAgent.has(agentId);
  }

  /**
   * Sends one message to everyone in the audience, each socket once. Returns how many got it.
   * `text`, when the caller has it, is the message already serialised.
   */
  publish(audience: Audience, message: ServerMessage, text?: string): number {
    this.publishListener?.(message);
    const targets = new Set<HubClient>();
    if (audience.everyone) for (const c of this.all) targets.add(c);
    else {
      if (audience.supervisors) for (const c of this.staff) targets.add(c);
      if (audience.agentIds) {
        for (const id of audience.agentIds) {
          if (!id) continue;
          const set = this.byAgent.get(id);
          if (set) for (const c of set) targets.add(c);
        }
      }
      if (audience.ticketId) for (const c of this.watchers.get(audience.ticketId) ?? []) targets.add(c);
      if (audience.topic) for (const c of this.watchers.get(audience.topic) ?? []) targets.add(c);
    }
    if (targets.size === 0) return 0;
    const frame = text ?? JSON.stringify(message);
    for (const c of targets) c.send(frame);
    return targets.size;
  }
}
