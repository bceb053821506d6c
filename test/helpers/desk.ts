// The service with one PBX (a real TCP AMI peer that replays captures), or more, and its agents:
// the start of every test that plays calls into the service.
import { AmiPeer } from './ami-peer';
import { buildTestApp, type TestApp } from './app';
import type { Config } from '../../src/config/config';

type Teardown = { teardown(fn: () => unknown): void };

export interface Desk {
  app: TestApp;
  peer: AmiPeer;
  /** Every PBX's peer (`peer` first; the config names them `main`, `pbx2`, …). */
  peers: AmiPeer[];
  /** Agents by login: id, token and password. */
  agents: Record<string, { id: string; token: string; password: string; extension: string | null }>;
}

/** The service with `pbxCount` PBXs (replaying peers, logged in) and the given agents (`[login, extension, role?]`). */
export async function startDesk(
  t: Teardown,
  agents: [string, string | null, ('agent' | 'supervisor' | 'admin')?][],
  config: Partial<Config> = {},
  pbxCount = 1,
): Promise<Desk> {
  const peers: AmiPeer[] = [];
  for (let i = 0; i < pbxCount; i++) {
    const p = await AmiPeer.start({ secret: 'test-secret' });
    t.teardown(() => p.close());
    peers.push(p);
  }
  const peer = peers[0];
  const app = await buildTestApp(t, { pbx: peers.map((p) => ({ host: '127.0.0.1', port: p.port })), config });
  const out: Desk['agents'] = {};
  for (const [login, ext, role] of agents) {
    const a = await app.agent(login, ext, role ?? 'agent');
    out[login] = { ...a, password: `${login}-password`, extension: ext };
  }
  await app.app.startIngest();
  await Promise.all(peers.map((p) => p.waitForLogin(1, 30_000)));
  return { app, peer, peers, agents: out };
}
