// The demo's people: three phone agents on the recorded calls' extensions and a supervisor, created
// when absent. Their passwords are fixed and printed on purpose: the demo listens on this computer
// only (127.0.0.1) unless HOST says otherwise, and a newcomer needs to know what to type.
import type { Role } from '../tickets/roles';
import type { AgentService } from '../services/agent-service';

export interface DemoAgent {
  login: string;
  password: string;
  name: string;
  role: Role;
  extension: string | null;
}

export const DEMO_ADMIN: DemoAgent = { login: 'admin', password: 'demo-admin', name: 'Administrator', role: 'admin', extension: null };

export const DEMO_AGENTS: readonly DemoAgent[] = [
  { login: '101', password: 'demo-101', name: 'Анна Иванова', role: 'agent', extension: '101' },
  { login: '102', password: 'demo-102', name: 'Пётр Смирнов', role: 'agent', extension: '102' },
  { login: '103', password: 'demo-103', name: 'Ольга Кузнецова', role: 'agent', extension: '103' },
  { login: 'supervisor', password: 'demo-supervisor', name: 'Мария Соколова', role: 'supervisor', extension: null },
];

export interface EnsuredAgent extends DemoAgent {
  /** False when an agent with this login was already there (its password is then whatever it is now). */
  created: boolean;
}

/** Creates each demo agent whose login is free; leaves existing ones as they are. */
export async function ensureDemoAgents(agents: AgentService, wanted: readonly DemoAgent[] = DEMO_AGENTS): Promise<EnsuredAgent[]> {
  const existing = new Set((await agents.list()).map((a) => a.login));
  const out: EnsuredAgent[] = [];
  for (const a of wanted) {
    if (existing.has(a.login)) {
      out.push({ ...a, created: false });
      continue;
    }
    // The demo prints its users' passwords: they are not asked to change them.
    await agents.create({ login: a.login, password: a.password, name: a.name, role: a.role, extension: a.extension, mustChangePassword: false });
    out.push({ ...a, created: true });
  }
  return out;
}
