// What calldesk's mails say and how they thread: the tagged subject, a Message-ID of our own,
// In-Reply-To / References of the thread, `Auto-Submitted` on automatic ones, and the Russian
// plain-text bodies. Pure: ids, links and the request come in as arguments.

/** The kinds of mail calldesk sends; all but an agent's reply are automatic. */
export const MAIL_KINDS = ['acknowledgement', 'reply', 'completion'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const isAutomatic = (kind: MailKind): boolean => kind !== 'reply';

/** Where a link to the customer's page goes in a body; the outbox puts the real link in as it sends. */
export const LINK_PLACEHOLDER = '{{customer-link}}';

export interface Thread {
  /** The message answered (ours or the customer's). */
  inReplyTo?: string | null;
  /** The thread so far, oldest first. */
  references?: readonly string[];
}

export interface ComposedMail {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Extra headers (Auto-Submitted on automatic mails). */
  headers: Record<string, string>;
}

// Reply / forward prefixes mail clients add, in the languages support sees.
const PREFIX = /^\s*((re|fwd?|aw|wg|ответ|отв|пересл)\s*(\[\d+\])?\s*:\s*)+/i;
const TAG = /\s*\[CD#\d{4}-\d{6,}\]\s*/g;

/** `[CD#2026-000042] subject`: the tag the intake threads replies by; old prefixes and tags removed. */
export function taggedSubject(number: string, subject: string): string {
  let bare = subject.replace(TAG, ' ');
  while (PREFIX.test(bare)) bare = bare.replace(PREFIX, '');
  bare = bare.replace(/\s+/g, ' ').trim();
  return bare ? `[CD#${number}] ${bare}` : `[CD#${number}] Обращение ${number}`;
}

/** The domain of the sender address, `support@example.ru` or `Поддержка <support@example.ru>`. */
export function senderDomain(from: string): string {
  const addr = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const at = addr.lastIndexOf('@');
  const domain = at < 0 ? '' : addr.slice(at + 1).trim().toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain) ? domain : 'calldesk.invalid';
}

/** `<uuid@domain-of-MAIL_FROM>`. */
export function messageIdFor(uuid: string, from: string): string {
  return `<${uuid}@${senderDomain(from)}>`;
}

// Long threads: keep the first message and the latest ones (RFC 5322 allows trimming the middle).
const MAX_REFERENCES = 20;

/** In-Reply-To and References of a mail in this thread. */
export function threadHeaders(thread: Thread): { inReplyTo: string | null; references: string[] } {
  const refs = [...(thread.references ?? [])];
  const inReplyTo = thread.inReplyTo ?? refs[refs.length - 1] ?? null;
  if (inReplyTo && refs[refs.length - 1] !== inReplyTo) refs.push(inReplyTo);
  const unique = refs.filter((r, i) => refs.indexOf(r) === i);
  const references = unique.length > MAX_REFERENCES ? [unique[0], ...unique.slice(-(MAX_REFERENCES - 1))] : unique;
  return { inReplyTo, references };
}

export interface RequestFacts {
  number: string;
  subject: string;
}

const SIGNATURE = '\n\n--\nСлужба поддержки';
const KEEP_TAG = 'Отвечая на это письмо, сохраните номер в теме — так ответ попадёт в ваше обращение.';

export function acknowledgementText(r: RequestFacts, withdrawLink: string): string {
  return [
    'Здравствуйте!',
    '',
    `Ваше обращение зарегистрировано под номером ${r.number}.`,
    r.subject ? `Тема: ${r.subject}` : null,
    '',
    'Мы сообщим, когда будет решение. ' + KEEP_TAG,
    '',
    'Если помощь больше не нужна, отзовите обращение по ссылке:',
    withdrawLink,
  ]
    .filter((l) => l !== null)
    .join('\n') + SIGNATURE;
}

export function replyText(r: RequestFacts, text: string, agentName: string | null): string {
  const sign = agentName ? `\n\n--\n${agentName}\nСлужба поддержки` : SIGNATURE;
  return `${text.trim()}\n\n${KEEP_TAG}\nОбращение ${r.number}.${sign}`;
}

export function completionText(r: RequestFacts & { solution: string }, links: { confirm: string; disagree: string }): string {
  return [
    'Здравствуйте!',
    '',
    `Работа по обращению ${r.number}${r.subject ? ` («${r.subject}»)` : ''} завершена.`,
    '',
    'Решение:',
    r.solution.trim(),
    '',
    'Если вопрос решён, подтвердите это:',
    links.confirm,
    '',
    'Если решение не помогло, сообщите нам, что не так:',
    links.disagree,
    '',
    'Без ответа обращение закроется через 5 рабочих дней. ' + KEEP_TAG,
  ].join('\n') + SIGNATURE;
}

/** One mail, with its subject, id and thread headers. */
export function composeMail(m: { kind: MailKind; to: string; number: string; subject: string; text: string; uuid: string; from: string; thread?: Thread }): ComposedMail {
  const { inReplyTo, references } = threadHeaders(m.thread ?? {});
  return {
    kind: m.kind,
    to: m.to,
    subject: taggedSubject(m.number, m.subject),
    text: m.text,
    messageId: messageIdFor(m.uuid, m.from),
    inReplyTo,
    references,
    // RFC 3834: so that other robots do not answer ours (and calldesk's own intake can tell).
    headers: isAutomatic(m.kind) ? { 'Auto-Submitted': 'auto-replied' } : {},
  };
}
