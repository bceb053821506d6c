// The floor under a screen pop on this machine, measured beside the service: a process that does
// nothing but relay — each line a TCP peer writes goes out at once as a WebSocket text frame to its
// clients. No parsing, no state, no database. Started by bench/lib/relay-probe.ts with the same
// node flags as the service; the bench writes through it while the service is under load.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const clients = new Set<WebSocket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
});

const tcp = net.createServer((socket) => {
  socket.setNoDelay(true);
  let rest = '';
  socket.on('data', (chunk) => {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) for (const ws of clients) ws.send(line);
  });
});

Promise.all([new Promise((r) => wss.once('listening', r)), new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r))]).then(() => {
  process.send!({ tcpPort: (tcp.address() as AddressInfo).port, wsPort: (wss.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
