// Outgoing mail is configured by MAIL_SMTP_URL, MAIL_FROM and PUBLIC_URL; half a configuration is
// refused at start with what is missing, not discovered when the first mail fails.
import t from 'tap';
import { ConfigError, loadConfig } from '../../../src/config/config';

const MAIL = { MAIL_SMTP_URL: 'smtp://desk:secret@mail.example.ru:587', MAIL_FROM: 'Поддержка <support@example.ru>', PUBLIC_URL: 'https://desk.example.ru' };

t.test('the mail variables are read from the environment', async (t) => {
  const c = loadConfig(MAIL);
  t.equal(c.mailSmtpUrl, MAIL.MAIL_SMTP_URL);
  t.equal(c.mailFrom, MAIL.MAIL_FROM);
  t.equal(c.publicUrl, MAIL.PUBLIC_URL);
  t.equal(loadConfig({}).mailSmtpUrl, undefined, 'no MAIL_SMTP_URL: no mail');
});

t.test('half a mail configuration is refused, naming what is missing', async (t) => {
  try {
    loadConfig({ ...MAIL, MAIL_FROM: undefined });
    t.fail('accepted');
  } catch (err) {
    t.ok(err instanceof ConfigError, 'a configuration error (the process says so and exits)');
  }
  t.throws(() => loadConfig({ ...MAIL, MAIL_FROM: undefined }), /MAIL_FROM/);
  t.throws(() => loadConfig({ ...MAIL, PUBLIC_URL: undefined }), /PUBLIC_URL/);
  t.throws(() => loadConfig({ ...MAIL, MAIL_SMTP_URL: 'imap://x' }), /mailSmtpUrl/);
  t.throws(() => loadConfig({ ...MAIL, PUBLIC_URL: 'desk.example.ru' }), /publicUrl/);
});
