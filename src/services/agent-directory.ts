// Agents by id and by extension, in memory: the ingestion path resolves `SIP/101-…` to an agent
// without a query per event. Reloaded after every change here and periodically (other instances).
import type { DataSource } from 'typeorm';
import { activeAgents } from '../db/agents';
import type { Role } from '../tickets/roles';

export interface AgentRef {
  id: string;
  login: string;
  name: string;
  role: Role;
  extension: string | null;
}

export class AgentDirectory {
  private byExt = new Map<string, AgentRef>();
  private byIdMap = new Map<string, AgentRef>();

  constructor(private readonly ds: DataSource) {}

  async reload(): Promise<void> {
    const rows: AgentRef[] = await activeAgents(this.ds);
    const byExt = new Map<string, AgentRef>();
    const byId = new Map<string, AgentRef>();
    for (const r of rows) {
      byId.set(r.id, r);
      if (r.extension) byExt.set(r.extension, r);
    }
    this.byExt = byExt;
    this.byIdMap = byId;
  }

  byExtension(ext: string | null | undefined): AgentRef | undefined {
    return ext ? this.byExt.get(ext) : undefined;
  }

  byId(id: string | null | undefined): AgentRef | undefined {
    return id ? this.byIdMap.get(id) : undefined;
  }

  /** Every active user. */
  all(): AgentRef[] {
    return [...this.byIdMap.values()];
  }

  supervisors(): AgentRef[] {
    return [...this.byIdMap.values()].filter((a) => a.role !== 'agent');
  }
}
