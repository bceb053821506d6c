// A cuttable TCP path to a real server (a PBX seen from one instance only): what passes is not
// touched; cut() drops every connection and refuses new ones until mend().
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpLink {
  port: number;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function tcpLink(target: { host: string; port: number }): Promise<TcpLink> {
  let open = true;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) s.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    open = false;
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    mend: () => (open = true),
    close: () => {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
