import t from 'tap';
import {
  acknowledgementText,
  completionText,
  composeMail,
  messageIdFor,
  replyText,
  senderDomain,
  taggedSubject,
  threadHeaders,
} from '../../../src/mail/compose';

t.test('the subject carries the request tag once, without reply prefixes', async (t) => {
  t.equal(taggedSubject('2026-000042', 'Не печатает счёт'), '[CD#2026-000042] Не печатает счёт');
  t.equal(taggedSubject('2026-000042', 'Re: RE: Fwd: [CD#2026-000042] Не печатает счёт'), '[CD#2026-000042] Не печатает счёт');
  t.equal(taggedSubject('2026-000042', 'Ответ: Не печатает'), '[CD#2026-000042] Не печатает');
  t.equal(taggedSubject('2026-000042', '  '), '[CD#2026-000042] Обращение 2026-000042');
});

t.test('Message-IDs are ours: the uuid at the domain of MAIL_FROM', async (t) => {
  t.equal(senderDomain('Поддержка <Support@Example.ru>'), 'example.ru');
  t.equal(senderDomain('support@desk.example.com'), 'desk.example.com');
  t.equal(senderDomain('nonsense'), 'calldesk.invalid');
  t.equal(messageIdFor('0b0e-1', 'Поддержка <support@example.ru>'), '<0b0e-1@example.ru>');
});

t.test('a mail answers the last message of its thread and references the whole thread', async (t) => {
  t.same(threadHeaders({}), { inReplyTo: null, references: [] });
  t.same(threadHeaders({ inReplyTo: '<c@x>' }), { inReplyTo: '<c@x>', references: ['<c@x>'] });
  t.same(threadHeaders({ inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>'] }), { inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'] });
  t.same(threadHeaders({ references: ['<a@x>', '<b@x>'] }), { inReplyTo: '<b@x>', references: ['<a@x>', '<b@x>'] });
  const long = threadHeaders({ references: Array.from({ length: 50 }, (_, i) => `<m${i}@x>`) });
  t.equal(long.references.length, 20, 'a long thread is trimmed');
  t.equal(long.references[0], '<m0@x>', 'keeping its first message');
  t.equal(long.references[19], '<m49@x>', 'and its latest');
});

t.test('automatic mails say Auto-Submitted: auto-replied; an agent reply does not', async (t) => {
  const base = { to: 'c@example.org', number: '2026-000042', subject: 'Тема', text: 'x', uuid: 'u1', from: 'support@example.ru' };
  t.same(composeMail({ ...base, kind: 'acknowledgement' }).headers, { 'Auto-Submitted': 'auto-replied' });
  t.same(composeMail({ ...base, kind: 'completion' }).headers, { 'Auto-Submitted': 'auto-replied' });
  const reply = composeMail({ ...base, kind: 'reply', thread: { inReplyTo: '<in@example.org>' } });
  t.same(reply.headers, {});
  t.equal(reply.subject, '[CD#2026-000042] Тема');
  t.equal(reply.messageId, '<u1@example.ru>');
  t.equal(reply.inReplyTo, '<in@example.org>');
});

t.test('the bodies are Russian and carry the number, the solution and the links', async (t) => {
  const ack = acknowledgementText({ number: '2026-000042', subject: 'Касса' }, 'https://desk.example.ru/r/TOKEN');
  t.match(ack, /зарегистрировано под номером 2026-000042/);
  t.match(ack, /отзовите обращение по ссылке:\nhttps:\/\/desk\.example\.ru\/r\/TOKEN/);
  const done = completionText({ number: '2026-000042', subject: 'Касса', solution: 'Обновите драйвер.' }, { confirm: 'L?action=confirm', disagree: 'L?action=disagree' });
  t.match(done, /обращению 2026-000042 \(«Касса»\) завершена/);
  t.match(done, /Решение:\nОбновите драйвер\./);
  t.match(done, /подтвердите это:\nL\?action=confirm/);
  t.match(done, /что не так:\nL\?action=disagree/);
  const reply = replyText({ number: '2026-000042', subject: 'Касса' }, '  Перезагрузите кассу.  ', 'Ирина');
  t.match(reply, /^Перезагрузите кассу\.\n/);
  t.match(reply, /Ирина\nСлужба поддержки$/);
});
