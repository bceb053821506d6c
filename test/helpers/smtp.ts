// A real SMTP receiver in the test process (smtp-server): collects what arrives, parsed with
// postal-mime; can refuse for a while (a server that is away, or says "try later") to test retries.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import PostalMime from 'postal-mime';

export interface ReceivedMail {
  raw: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string | null;
  header(name: string): string | null;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Answer the next `n` mails with 451 (try later), or with `code` (550: refused for good). */
  refuseNext(n: number, code?: number): void;
  /** Bytes of mail data received so far, of whole mails and of mails still coming. */
  dataBytes: number;
  /** Runs after a mail is stored and before it is acknowledged (a test pauses the sender there). */
  beforeAccept: ((mail: ReceivedMail) => Promise<void> | void) | null;
  close(): Promise<void>;
}

export async function startSmtpReceiver(t: { teardown(fn: () => unknown): void }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let refuse = 0;
  let refuseCode = 451;
  const receiver: SmtpReceiver = {
    url: '',
    port: 0,
    mails,
    dataBytes: 0,
    refuseNext: (n, code = 451) => ((refuse = n), (refuseCode = code)),
    beforeAccept: null,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        receiver.dataBytes += c.length;
      });
      stream.on('end', async () => {
        if (refuse > 0) {
          refuse--;
          const err = Object.assign(new Error(refuseCode >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: refuseCode });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await PostalMime.parse(raw);
        const header = (name: string) => parsed.headers.find((h) => h.key === name.toLowerCase())?.value ?? null;
        const mail: ReceivedMail = {
          raw,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          messageId: parsed.messageId ?? '',
          inReplyTo: parsed.inReplyTo ?? null,
          references: parsed.references ?? null,
          header,
        };
        mails.push(mail);
        await receiver.beforeAccept?.(mail);
        callback();
      });
    },
  });
  // A sender that dies mid-mail (the kill -9 test) resets its connection inside a transaction:
  // smtp-server reports that as an 'error' on the server, which unheard would crash the test.
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.port = (server.server.address() as AddressInfo).port;
  receiver.url = `smtp://127.0.0.1:${receiver.port}`;
  t.teardown(() => receiver.close());
  return receiver;
}
