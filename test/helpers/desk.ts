// The service with one PBX (a real TCP AMI peer that replays captures) and its agents: the start of
// every test that plays calls into the service.
import { AmiPeer } from './ami-peer';
import { buildTestApp, type TestApp } from './app';
import type { Config } from '../../src/config/config';

type Teardown = { teardown(fn: () => unknown): void };

export interface Desk {
  app: TestApp;
  peer: AmiPeer;
  /** Agents by login: id, token and password. */
  agents: Record<string, { id: string; token: string; password: string; extension: string | null }>;
}

/** The service with one PBX (a replaying peer, logged in) and the given agents (`[login, extension, role?]`). */
export async function startDesk(
  t: Teardown,
  agents: [string, string | null, ('agent' | 'supervisor' | 'admin')?][],
  config: Partial<Config> = {},
): Promise<Desk> {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const app = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }], config });
  const out: Desk['agents'] = {};
  for (const [login, ext, role] of agents) {
    const a = await app.agent(login, ext, role ?? 'agent');
    out[login] = { ...a, password: `${login}-password`, extension: ext };
  }
  await app.app.startIngest();
  await peer.waitForLogin(1, 30_000);
  return { app, peer, agents: out };
}
