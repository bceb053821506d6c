// No loops, no junk: which mails calldesk may answer automatically, and which are bounces.
import t from 'tap';
import { classify, type MailHeader } from '../../../src/mail/classify';

const h = (o: Record<string, string>): MailHeader[] => Object.entries(o).map(([key, value]) => ({ key: key.toLowerCase(), value }));
const OWN = ['support@example.ru'];

t.test("a person's mail may be answered", async (t) => {
  t.same(classify({ headers: h({ From: 'ivan@romashka.ru', 'Auto-Submitted': 'no' }), from: 'ivan@romashka.ru' }, OWN), { bounce: false, autoReplyAllowed: true, noAutoReplyBecause: null });
});

t.test('auto-replies, bulk and list mail, empty Return-Path, daemons and own mail are never answered', async (t) => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ 'Auto-Submitted': 'auto-replied' }, 'ivan@romashka.ru', /Auto-Submitted/],
    [{ 'Auto-Submitted': 'auto-generated; owner-email="x@y"' }, 'ivan@romashka.ru', /Auto-Submitted/],
    [{ Precedence: 'bulk' }, 'ivan@romashka.ru', /Precedence/],
    [{ Precedence: 'junk' }, 'ivan@romashka.ru', /Precedence/],
    [{ 'List-Id': '<news.x>' }, 'news@x.ru', /list/],
    [{ 'List-Unsubscribe': '<mailto:u@x>' }, 'news@x.ru', /list/],
    [{ 'Return-Path': '<>' }, 'ivan@romashka.ru', /Return-Path/],
    [{}, 'MAILER-DAEMON@mx.ru'.toLowerCase(), /sender/],
    [{}, 'postmaster@mx.ru', /sender/],
    [{}, 'support@example.ru', /own/],
    [{ 'X-Calldesk': 'ack' }, 'someone@else.ru', /own/],
  ];
  for (const [headers, from, why] of cases) {
    const c = classify({ headers: h(headers), from }, OWN);
    t.equal(c.autoReplyAllowed, false, JSON.stringify(headers) + ' ' + from);
    t.match(c.noAutoReplyBecause, why);
  }
});

t.test('a delivery-status report is a bounce, and is never answered', async (t) => {
  const c = classify({ headers: h({ 'Content-Type': 'multipart/report; report-type=delivery-status;\r\n boundary="b"' }), from: 'mailer-daemon@mx.ru' }, OWN);
  t.equal(c.bounce, true);
  t.equal(c.autoReplyAllowed, false);
  t.equal(classify({ headers: h({ 'Content-Type': 'multipart/report; report-type=disposition-notification' }), from: 'a@b.ru' }).bounce, false, 'a read receipt is no bounce');
});
