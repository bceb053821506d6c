// Baseline: the bare asterisk-manager package reading the same AMI stream from the same peer, in a
// process of its own like the service: parse and count, no tracking, no storage. Reports over IPC
// when it has seen the number of events it was told to expect.
const createManager = require('asterisk-manager') as (
  port: number,
  host: string,
  username: string,
  secret: string,
  events: boolean,
) => { on(event: string, fn: (...a: unknown[]) => void): void; disconnect(): void };

interface Args {
  port: number;
  expect: number;
}

process.once('message', (args: Args) => {
  let events = 0;
  const manager = createManager(args.port, '127.0.0.1', 'calldesk', 'bench-secret', true);
  manager.on('managerevent', () => {
    if (++events === args.expect) {
      process.send!({ doneAt: Date.now(), events, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
      manager.disconnect();
    }
  });
});
process.on('disconnect', () => process.exit(0));
