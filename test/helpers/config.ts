// The configuration every test service starts with: the first admin's credentials, an ephemeral
// port on loopback, and the given PBXs.
import { loadConfig, type Config } from '../../src/config/config';

export const ADMIN = { login: 'admin', password: 'admin-password-1' };

export function testConfig(pbx: { host: string; port: number }[] = [], extra: Partial<Config> = {}): Config {
  const base = loadConfig({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password });
  return {
    ...base,
    port: 0,
    host: '127.0.0.1',
    pbx: pbx.map((p, i) => ({ id: i === 0 ? 'main' : `pbx${i + 1}`, host: p.host, port: p.port, username: 'calldesk', secret: 'test-secret' })),
    ...extra,
  };
}
