// calldesk reads the PBX's frames itself; the messages must be the ones asterisk-manager's own reader
// makes of the same bytes, on every real capture and on the odd frames a PBX or a broken peer sends,
// however the bytes are cut into chunks.
import net from 'node:net';
import t from 'tap';
import { FrameFeed } from '../../../src/ami/frame-feed';
import type { RawAmiMessage } from '../../../src/ami/raw';
import { listScenarios, loadScenario } from '../../../src/simulator/scenarios';

const createManager = require('asterisk-manager') as (
  port: number | undefined,
  host: string,
  user: string,
  secret: string,
  events: boolean,
) => { connect(port: number, host: string): void; on(e: string, f: (m: RawAmiMessage) => void): void; removeAllListeners(e: string): void; disconnect(): void };

/** What the package's reader makes of `bytes`, sent to it over a real socket. */
async function packageReads(bytes: Buffer): Promise<RawAmiMessage[]> {
  const server = net.createServer((s) => s.end(bytes));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const manager = createManager(undefined, '127.0.0.1', '', '', true);
  manager.removeAllListeners('rawevent'); // its dispatcher alters messages (an Event array becomes its first item)
  const messages: RawAmiMessage[] = [];
  manager.on('rawevent', (m) => messages.push(m));
  const closed = new Promise<void>((resolve) => manager.on('close', () => resolve()));
  manager.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await closed;
  server.close();
  return messages;
}

/** What calldesk's feed makes of `bytes`, cut into chunks of the given sizes (repeated). */
function feedReads(bytes: Buffer, sizes: number[]): RawAmiMessage[] {
  const feed = new FrameFeed({ maxFrameBytes: 1 << 30, onRunaway: () => undefined });
  const text = bytes.toString('utf8');
  const out: RawAmiMessage[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    const chunk = text.slice(at, at + sizes[i % sizes.length]);
    at += chunk.length;
    out.push(...feed.take(chunk));
  }
  return out;
}

const CHUNKINGS = [[1 << 20], [65_536], [1, 2, 3, 5, 8, 13], [997], [4096, 17]];

t.test('every real capture reads into the messages asterisk-manager makes of it, whatever the chunks', async (t) => {
  const names = listScenarios();
  t.ok(names.length >= 10, `${names.length} captures`);
  for (const name of names) {
    const bytes = loadScenario(name).bytes;
    const expected = await packageReads(bytes);
    for (const sizes of CHUNKINGS) {
      const got = feedReads(bytes, sizes);
      t.equal(got.length, expected.length, `${name}, chunks of ${sizes.join('/')}: as many messages`);
      t.same(got, expected, `${name}, chunks of ${sizes.join('/')}: the same messages`);
    }
  }
});

const ODD = [
  // the banner opens the first frame and is no header
  'Asterisk Call Manager/7.0.3\r\nResponse: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\n',
  // a key twice, three times; variables with "=" in their values; a variable without "="
  'Event: UserEvent\r\nUserEvent: a\r\nUserEvent: b\r\nUserEvent: c\r\nVariable: X=a=b\r\nVariable: Y\r\nChanVariable: Z=\r\n\r\n',
  // no ": " on a line, a value with ": " in it, spaces around a key, an empty value, LF-only lines
  'Event: Odd\nJustAKey\n  Spaced Key  : v\nText: a: b: c\nEmpty: \n\n',
  // an empty frame between two, and a lone CR inside a value
  'Event: A\r\n\r\n\r\nEvent: B\r\nValue: x\ry\r\n\r\n',
];

t.test('odd frames (banner, repeated keys, variables, keys without a value, empty frames) read as the package reads them', async (t) => {
  for (const text of ODD) {
    const bytes = Buffer.from(text);
    const expected = await packageReads(bytes);
    for (const sizes of CHUNKINGS) t.same(feedReads(bytes, sizes), expected, `${JSON.stringify(text.slice(0, 40))}…, chunks of ${sizes.join('/')}`);
  }
});

t.test("a stray 'Response: Follows' does not swallow the frames after it: it is read as a malformed message", (t) => {
  const text = 'Response: Follows\r\nPrivilege: Command\r\n\r\nEvent: Hangup\r\nChannel: SIP/101-1\r\n\r\n';
  const got = feedReads(Buffer.from(text), [1 << 20]);
  t.same(got, [{ 'x-unasked-response': 'Follows', privilege: 'Command' }, { event: 'Hangup', channel: 'SIP/101-1' }]);
  t.end();
});

t.test('frames ending in a bare LF or a CRLF blank line read the same wherever two or three reads cut them', (t) => {
  const text =
    'Event: Newstate\nUniqueid: 1.1\n\nEvent: Hangup\r\nUniqueid: 1.2\r\n\r\n' +
    'Event: Newchannel\nChannel: SIP/101-1\r\n\r\nEvent: Cdr\r\nUniqueid: 1.3\n\nResponse: Success\r\nActionID: a1\r\n\r\n';
  const bytes = Buffer.from(text);
  const whole = feedReads(bytes, [1 << 20]);
  t.equal(whole.length, 5, 'five frames');
  let bad = 0;
  for (let i = 1; i < text.length; i++) {
    for (let j = i; j < text.length; j++) {
      const feed = new FrameFeed({ maxFrameBytes: 1 << 30, onRunaway: () => undefined });
      const got = [...feed.take(text.slice(0, i)), ...feed.take(text.slice(i, j)), ...feed.take(text.slice(j))];
      if (JSON.stringify(got) !== JSON.stringify(whole) && bad++ < 3) t.fail(`cut at ${i} and ${j}: ${JSON.stringify(got)}`);
    }
  }
  t.equal(bad, 0, 'every cut');
  t.end();
});
