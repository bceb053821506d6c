// The whole e-mail channel, end to end: a customer's mail in a real Dovecot mailbox becomes a
// request, the acknowledgement with its number reaches a real SMTP receiver threaded to that mail,
// and the customer's answer to the acknowledgement (no tag in the subject, only In-Reply-To naming
// calldesk's own Message-ID) lands in the same request's journal.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { startDovecot } from '../../helpers/dovecot';
import { startSmtpReceiver } from '../../helpers/smtp';
import { waitFor } from '../../helpers/wait';

const mail = (headers: Record<string, string>, body: string) =>
  Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit', ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n') + `\r\n\r\n${body}\r\n`;

/** A service reading a real Dovecot mailbox and sending to a real SMTP receiver. */
async function mailingDesk(t: Parameters<typeof startDovecot>[0]) {
  const dv = await startDovecot(t);
  const smtp = await startSmtpReceiver(t);
  const h = await buildTestApp(t, {
    connectPbx: false,
    config: { mailImapUrl: dv.url, mailSmtpUrl: smtp.url, mailFrom: 'Поддержка <support@desk.example.ru>', publicUrl: 'https://desk.example.ru' },
    mailTimings: { pollMs: 200, retrySeconds: 0.2, leaseSeconds: 2 },
  });
  await h.app.startIngest();
  return { dv, smtp, h };
}

t.test('a mail opens a request, the acknowledgement answers it with the number, the answer to that threads back', async (t) => {
  const { dv, smtp, h } = await mailingDesk(t);

  await dv.deliver(
    mail(
      { From: '=?UTF-8?B?0JzQsNGA0LjRjw==?= <maria@client.example.org>', To: 'support@desk.example.ru', Subject: '=?UTF-8?B?0J3QtSDQv9C10YfQsNGC0LDQtdGCINGH0LXQug==?=', 'Message-ID': '<first-1@client.example.org>', Date: new Date().toUTCString() },
      'Касса не печатает чек после обновления.',
    ),
  );
  const ack = await waitFor('the acknowledgement', async () => smtp.mails.find((m) => m.to.includes('maria@client.example.org')), 15_000);
  const number = /\[CD#(\d{4}-\d{6})\]/.exec(ack.subject)?.[1];
  t.ok(number, `the number in the subject: ${ack.subject}`);
  t.equal(ack.inReplyTo, '<first-1@client.example.org>', 'threaded to the customer’s mail');
  t.equal(ack.header('auto-submitted'), 'auto-replied');
  t.match(ack.text, number!, 'the number read out in the text (R2)');
  const request = (await h.request('GET', `/api/tickets?number=${number}`, h.adminToken)).body.items[0];
  t.match(request, { channel: 'email', status: 'registered', subject: 'Не печатает чек' });

  // The customer answers the acknowledgement from a client that drops the tag from the subject.
  await dv.deliver(
    mail(
      { From: 'maria@client.example.org', To: 'support@desk.example.ru', Subject: 'Re: ваше обращение', 'Message-ID': '<second-2@client.example.org>', 'In-Reply-To': ack.messageId, References: ack.messageId, Date: new Date().toUTCString() },
      'Забыла добавить: касса Атол 30Ф.\r\n\r\n> Ваше обращение зарегистрировано',
    ),
  );
  const entry = await waitFor('the answer in the request’s journal', async () => {
    const journal = (await h.request('GET', `/api/tickets/${request.id}`, h.adminToken)).body.journal;
    return journal.find((e: any) => e.kind === 'customer_message');
  }, 15_000);
  t.match(entry.data.text, /Атол 30Ф/, 'the new words, the quoted acknowledgement folded away');
  t.equal((await h.request('GET', '/api/tickets?view=open&limit=50', h.adminToken)).body.items.filter((x: any) => x.channel === 'email').length, 1, 'no second request');
  t.equal(smtp.mails.filter((m) => m.to.includes('maria@client.example.org')).length, 1, 'an answer to a reply is not acknowledged again');
  const metrics = await (await fetch(`${h.url}/metrics`)).text();
  t.match(metrics, /^calldesk_mail_outbox_depth 0$/m, 'metrics: nothing waits in the outbox');
  t.match(metrics, /^calldesk_mail_connected 1$/m, 'metrics: the mailbox is connected');
});

t.test('a sender not in the directory is answered where they wrote from: the reply and the completion notice', async (t) => {
  const { dv, smtp, h } = await mailingDesk(t);
  await dv.deliver(mail({ From: 'Пётр <petr@new-client.example.org>', To: 'support@desk.example.ru', Subject: 'Не работает сканер', 'Message-ID': '<scan-1@new-client.example.org>' }, 'Сканер штрихкодов не читает коды.'));
  const ack = await waitFor('the acknowledgement', async () => smtp.mails.find((m) => m.to.includes('petr@new-client.example.org')), 15_000);
  const number = /\[CD#(\d{4}-\d{6})\]/.exec(ack.subject)![1];
  const request = (await h.request('GET', `/api/tickets?number=${number}`, h.adminToken)).body.items[0];
  t.equal(request.customer?.contactId ?? null, null, 'no contact: the sender is not in the directory');

  const anna = await h.agent('anna', '101');
  // A supervisor gives the unassigned mail to Anna.
  const assigned = await h.request('PATCH', `/api/tickets/${request.id}`, h.adminToken, { version: request.version, assignees: [anna.id] });
  t.equal(assigned.status, 200, JSON.stringify(assigned.body));
  const res = await h.request('POST', `/api/tickets/${request.id}/comments`, anna.token, { text: 'Какая модель сканера?', toCustomer: true });
  t.equal(res.status, 200, JSON.stringify(res.body));
  const reply = await waitFor('the reply', async () => smtp.mails.find((m) => m.subject.includes(number) && m.text.startsWith('Какая модель')), 15_000);
  t.same(reply.to, ['petr@new-client.example.org']);
  t.equal(reply.inReplyTo, ack.messageId, 'in the thread');

  for (const body of [{ to: 'in_progress' }, { to: 'completed', solution: 'Включили режим эмуляции клавиатуры.' }]) {
    const r = await h.request('POST', `/api/tickets/${request.id}/transitions`, anna.token, body);
    t.equal(r.status, 200, JSON.stringify(r.body));
  }
  const notice = await waitFor('the completion notice', async () => smtp.mails.find((m) => /эмуляции клавиатуры/.test(m.text)), 15_000);
  t.same(notice.to, ['petr@new-client.example.org']);
});
