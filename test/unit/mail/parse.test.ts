// Real clients' mails (fixtures) read correctly: charsets, encoded words split across lines,
// HTML-only mail, replies' history folded, bounces, broken MIME, no sender.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseMail, type ParsedMail } from '../../../src/mail/parse';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/mail', name));
const OWN = ['support@example.ru'];
async function read(name: string): Promise<ParsedMail> {
  const r = await parseMail(fixture(name), OWN);
  if (!r.ok) throw new Error(`${name}: ${r.reason}`);
  return r;
}

t.test('a KOI8-R mail from Thunderbird with its subject split over two encoded words reads correctly', async (t) => {
  const m = await read('new-koi8r-thunderbird.eml');
  t.equal(m.from, 'ivan@romashka.ru', 'the address lower-cased');
  t.equal(m.fromName, 'Иван Петров');
  t.equal(m.cleanSubject, 'Не печатаются накладные после обновления');
  t.match(m.text, /не печатаются накладные: программа пишет\r?\n"Ошибка 1042/);
  t.equal(m.classification.autoReplyAllowed, true);
});

t.test("an Outlook reply in windows-1251 names its request by tag and loses Outlook's history", async (t) => {
  const m = await read('reply-outlook-cp1251.eml');
  t.equal(m.tagNumber, '2026-000001');
  t.same(m.referencedIds, ['<ack-1@calldesk.example.ru>']);
  t.equal(m.text, 'Здравствуйте!\n\nСпасибо, после перезапуска службы всё заработало.\n\nМария Сидорова');
});

t.test('a Gmail reply names its thread by headers; its text is the new words only', async (t) => {
  const m = await read('reply-gmail-utf8.eml');
  t.equal(m.tagNumber, null);
  t.same(m.referencedIds, ['<done-1@calldesk.example.ru>', '<ack-1@calldesk.example.ru>']);
  t.equal(m.text, 'Всё ещё не работает: та же ошибка 1042.');
});

t.test('an HTML-only windows-1251 mail reads as text and keeps its attachment', async (t) => {
  const m = await read('new-html-only-cp1251.eml');
  t.equal(m.cleanSubject, 'Не открывается отчёт');
  t.equal(m.text, 'Не открывается отчёт «Остатки».\n\nСкриншот во вложении.\nОльга');
  t.same(m.attachments.map((a) => [a.filename, a.contentType, a.content.subarray(1, 4).toString()]), [['screen.png', 'image/png', 'PNG']]);
});

t.test('auto-replies and list mail are read but never answered', async (t) => {
  t.equal((await read('auto-reply.eml')).classification.autoReplyAllowed, false);
  t.equal((await read('mailing-list.eml')).classification.autoReplyAllowed, false);
});

t.test('a bounce names the failed address and the mail it bounced', async (t) => {
  const m = await read('bounce.eml');
  t.equal(m.classification.bounce, true);
  t.same(m.bounce, { recipients: ['nobody@romashka.ru'], originalIds: ['<ack-1@calldesk.example.ru>'], tagNumber: '2026-000001' });
});

t.test('broken MIME and a missing sender are unreadable, with the reason', async (t) => {
  const broken = await parseMail(fixture('broken-mime.eml'));
  t.match(broken, { ok: false, messageId: '<broken-1@romashka.ru>', from: 'someone@romashka.ru', reason: /MIME/ });
  const nobody = await parseMail(fixture('no-sender.eml'));
  t.match(nobody, { ok: false, from: null, subject: 'Who am I', reason: /отправител/ });
});

t.test('a mail without Message-ID gets one from its bytes, the same for the same bytes', async (t) => {
  const raw = Buffer.from('From: a@b.ru\r\nSubject: x\r\n\r\nhello\r\n');
  const a = await parseMail(raw);
  const b = await parseMail(Buffer.from(raw));
  t.match(a.messageId, /^<sha256-[0-9a-f]{64}@calldesk\.invalid>$/);
  t.equal(a.messageId, b.messageId);
});
