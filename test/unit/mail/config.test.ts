// Reading the mailbox's address and calldesk's own sender from the configuration.
import t from 'tap';
import { parseImapUrl } from '../../../src/mail/intake';
import { addressOf } from '../../../src/mail-wiring';

t.test('MAIL_IMAP_URL: user, password (URL-encoded), port by scheme, mailbox (INBOX by default)', async (t) => {
  t.match(parseImapUrl('imaps://support%40example.ru:p%40ss@imap.example.ru/Support'), {
    host: 'imap.example.ru',
    port: 993,
    secure: true,
    user: 'support@example.ru',
    pass: 'p@ss',
    mailbox: 'Support',
    key: 'support@example.ru@imap.example.ru/Support',
  });
  t.match(parseImapUrl('imap://u:p@127.0.0.1:1143'), { port: 1143, secure: false, mailbox: 'INBOX' });
  t.notMatch(parseImapUrl('imap://u:secret@h/INBOX').key, /secret/, 'the key stored and logged has no password');
  t.throws(() => parseImapUrl('pop3://u:p@h'), /imap/);
});

t.test("MAIL_FROM's address, lower-cased", async (t) => {
  t.equal(addressOf('Поддержка <Support@Example.ru>'), 'support@example.ru');
  t.equal(addressOf('support@example.ru'), 'support@example.ru');
  t.equal(addressOf(undefined), null);
});
