// A mail's words as a person wrote them: quoted history folded away, HTML as text, "not solved".
import t from 'tap';
import { foldQuoted, htmlToText, saysNotSolved } from '../../../src/mail/text';

t.test("Outlook's history under a reply is folded away", async (t) => {
  const r = foldQuoted('Спасибо, заработало.\r\n\r\n-----Original Message-----\r\nFrom: Поддержка\r\nSent: today\r\n\r\nПерезапустите.');
  t.equal(r.text, 'Спасибо, заработало.');
  t.match(r.quoted, /^-----Original Message-----/);
  const ru = foldQuoted('Да, помогло.\n\nОт: Поддержка <support@example.ru>\nОтправлено: 2 декабря 2026 г. 11:00\nКому: Иван\n\nСтарый текст');
  t.equal(ru.text, 'Да, помогло.', 'the Russian Outlook header block too');
  t.equal(foldQuoted('Да, помогло.\n________________________________\nОт: Поддержка').text, 'Да, помогло.');
});

t.test("Gmail's and Thunderbird's introductions and > quotes are folded away", async (t) => {
  t.equal(foldQuoted('Не работает.\n\nOn Wed, Dec 2, 2026 at 11:00 AM Support <s@e.ru>\nwrote:\n\n> old').text, 'Не работает.', 'a wrapped "On … wrote:"');
  t.equal(foldQuoted('Ок.\n\n02.12.2026 11:00, Поддержка пишет:\n> old').text, 'Ок.');
  t.equal(foldQuoted('Ок.\n\nСр, 2 дек. 2026 г. в 11:00, Поддержка <s@e.ru>:\n> old\n> older').text, 'Ок.', 'a bare > block at the end');
  t.equal(foldQuoted('> she said\nI disagree\n').text, '> she said\nI disagree', 'an inline quote followed by an answer stays');
});

t.test('a line that merely starts with "From:" in the text stays when no header block follows', async (t) => {
  t.equal(foldQuoted('From: my point of view it is broken.\nThanks').text, 'From: my point of view it is broken.\nThanks');
});

t.test('an HTML-only mail reads as text', async (t) => {
  const text = htmlToText('<html><head><style>p{}</style></head><body><p>Отчёт &laquo;Остатки&raquo;&nbsp;не&#160;открывается.</p><div>Ольга<br>ООО &quot;Лес&quot;</div><script>x()</script></body></html>');
  t.equal(text, 'Отчёт «Остатки» не открывается.\n\nОльга\nООО "Лес"');
});

t.test('a reply saying the problem is not solved is recognised; thanks are not', async (t) => {
  for (const s of ['Всё ещё не работает: та же ошибка', 'Не помогло.', 'Проблема не решена', 'It is still not working', "Didn't help, sorry"]) t.ok(saysNotSolved(s), s);
  for (const s of ['Спасибо, всё заработало', 'Thanks, solved!', 'Работает.']) t.notOk(saysNotSolved(s), s);
});
