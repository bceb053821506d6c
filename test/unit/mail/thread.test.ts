// Which request a mail names: the subject's tag, the headers' Message-IDs; a new request's subject.
import t from 'tap';
import { cleanSubject, messageIds, organisationDomain, referencedIds, subjectTag, tagNumber } from '../../../src/mail/thread';

t.test("a reply's subject tag names the request, however the client prefixed it", async (t) => {
  t.equal(tagNumber('RE: [CD#2026-000042] Не печатаются накладные'), '2026-000042');
  t.equal(tagNumber('Re: Fwd: [cd#2026-1234567] x'), '2026-1234567');
  t.equal(tagNumber('Не печатаются накладные'), null);
  t.equal(tagNumber('[CD#26-42] not a number'), null);
  t.equal(tagNumber(subjectTag('2026-000042')), '2026-000042');
});

t.test("a new request's subject is the mail's without Re:/Fwd: and without the tag", async (t) => {
  t.equal(cleanSubject('Re: RE: Fwd: [CD#2026-000042] Не печатаются накладные'), 'Не печатаются накладные');
  t.equal(cleanSubject('Ответ: Пересл: Не открывается отчёт'), 'Не открывается отчёт');
  t.equal(cleanSubject('AW: Re[2]: Drucker'), 'Drucker');
  t.equal(cleanSubject('Refund request'), 'Refund request', 'a word starting with "Re" is not a prefix');
  t.equal(cleanSubject(null), '');
});

t.test('Message-IDs are read from In-Reply-To first, then References newest first', async (t) => {
  t.same(messageIds('<a@x> junk <b@y>\r\n <a@x>'), ['<a@x>', '<b@y>']);
  t.same(referencedIds('<c@z>', '<a@x> <b@y> <c@z>'), ['<c@z>', '<b@y>', '<a@x>']);
  t.same(referencedIds(undefined, undefined), []);
});

t.test("a sender's domain tells the organisation, but not a free mail service's", async (t) => {
  t.equal(organisationDomain('olga@Lesnoe.ru'), 'lesnoe.ru');
  t.equal(organisationDomain('someone@gmail.com'), null);
  t.equal(organisationDomain('someone@yandex.ru'), null);
});
