// The tests' SMTP server outlives a sender killed in the middle of a mail (as the service is by the
// kill -9 test): the connection reset inside the transaction once crashed the whole test file with
// `read ECONNRESET`. Here a raw TCP client starts a mail and resets its connection mid-DATA.
import net from 'node:net';
import { once } from 'node:events';
import t from 'tap';
import nodemailer from 'nodemailer';
import { startSmtpReceiver } from '../../helpers/smtp';
import { waitFor } from '../../helpers/wait';

t.test('a mail cut off by its sender dying is not received, and the next sender is served', async (t) => {
  const smtp = await startSmtpReceiver(t);
  const socket = net.connect(smtp.port, '127.0.0.1');
  socket.setEncoding('utf8');
  let heard = '';
  socket.on('data', (d: string) => (heard += d));
  const expect = (code: string) => waitFor(`the server's ${code}`, () => heard.split('\r\n').some((l) => l.startsWith(code)), 30_000, 20);
  await expect('220');
  for (const [line, code] of [
    ['EHLO dying.example.ru', '250'],
    ['MAIL FROM:<support@desk.example.ru>', '250 Accepted'],
    ['RCPT TO:<customer@romashka.ru>', '250 Accepted'],
    ['DATA', '354'],
  ]) {
    heard = '';
    socket.write(line + '\r\n');
    await expect(code);
  }
  socket.write('Subject: cut off\r\n\r\nThe sender dies here');
  await waitFor('the start of the mail to arrive', () => smtp.dataBytes > 0, 30_000, 20);
  // What kill -9 does to a connection: an RST, not a FIN.
  socket.resetAndDestroy();
  await once(socket, 'close');

  const sender = nodemailer.createTransport({ url: smtp.url, tls: { rejectUnauthorized: false } } as never);
  t.teardown(() => sender.close());
  await sender.sendMail({ from: 'support@desk.example.ru', to: 'customer@romashka.ru', subject: 'whole', text: 'A whole mail.' });
  t.same(smtp.mails.map((m) => m.subject), ['whole'], 'only the whole mail arrived');
});
