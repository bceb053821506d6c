// Which request a mail names, read from its subject and headers: the tag `[CD#2026-000042]` calldesk
// puts in every subject it sends, and the Message-IDs in `In-Reply-To` / `References`. Pure.

const TAG = /\[CD#\s*(\d{4}-\d{6,})\s*\]/i;
const TAGS = /\[CD#\s*\d{4}-\d{6,}\s*\]/gi;
// Reply and forward prefixes as mail clients write them (English, German, Russian Outlook, Gmail, Thunderbird).
const PREFIX = /^\s*((re|fwd?|aw|wg|sv|tr|ответ|отв|пересл|переслать)(\s*\[\d+\]|\s*\(\d+\))?\s*:\s*)/i;

/** The request number the subject's tag names (`2026-000042`), or null. */
export function tagNumber(subject: string | null | undefined): string | null {
  const m = TAG.exec(subject ?? '');
  return m ? m[1] : null;
}

/** The tag calldesk puts in a subject for a request number. */
export function subjectTag(number: string): string {
  return `[CD#${number}]`;
}

/** A request's subject from a mail's: without `Re:` / `Fwd:` (repeated) and without the tag. */
export function cleanSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').replace(TAGS, ' ');
  for (let m = PREFIX.exec(s); m; m = PREFIX.exec(s)) s = s.slice(m[0].length);
  return s.replace(/\s+/g, ' ').trim();
}

/** The Message-IDs named in a header value (`<a@b> <c@d>`), in order, without duplicates. */
export function messageIds(value: string | null | undefined): string[] {
  const found = (value ?? '').match(/<[^<>\s]+>/g) ?? [];
  return [...new Set(found)];
}

/** The Message-IDs a reply refers to: `In-Reply-To` first, then `References` newest first. */
export function referencedIds(inReplyTo: string | null | undefined, references: string | null | undefined): string[] {
  return [...new Set([...messageIds(inReplyTo), ...messageIds(references).reverse()])];
}

// Free mail services: their users share a domain, not an employer.
const PUBLIC_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yandex.ru', 'yandex.com', 'ya.ru', 'mail.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'internet.ru',
  'rambler.ru', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'yahoo.com', 'proton.me', 'protonmail.com',
]);

/** The domain whose known contacts tell a sender's organisation; null for free mail services. */
export function organisationDomain(address: string): string | null {
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  return domain && !PUBLIC_DOMAINS.has(domain) ? domain : null;
}
