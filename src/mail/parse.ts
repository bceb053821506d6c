// A raw message (RFC 5322 bytes) read into what the intake acts on: sender, subject, the thread it
// names, the new text (HTML-only mail as text, quoted history folded away), attachments, its
// class (bounce, auto-reply allowed), or the reason it cannot be read. No I/O.
import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import { classify, type Classification, type MailHeader } from './classify';
import { foldQuoted, htmlToText } from './text';
import { cleanSubject, messageIds, referencedIds, tagNumber } from './thread';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ParsedMail {
  ok: true;
  /** `<id@host>`; made from the bytes' hash when the mail has none, so a copy is still recognised. */
  messageId: string;
  from: string;
  fromName: string;
  /** The subject as sent (decoded). */
  subject: string;
  /** Without `Re:` / `Fwd:` and the tag: a new request's subject. */
  cleanSubject: string;
  /** The request number the subject's tag names. */
  tagNumber: string | null;
  /** `In-Reply-To` then `References`. */
  referencedIds: string[];
  /** The words written this time; `quoted` is the history under them. */
  text: string;
  quoted: string;
  attachments: MailAttachment[];
  classification: Classification;
  /** For a delivery-status report: whose delivery failed and which mails it names. */
  bounce: { recipients: string[]; originalIds: string[]; tagNumber: string | null } | null;
}

export interface UnreadableMail {
  ok: false;
  messageId: string;
  from: string | null;
  subject: string;
  reason: string;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** Reads a raw message; never throws (what cannot be read says why). */
export async function parseMail(raw: Buffer, ownAddresses: readonly string[] = []): Promise<ParsedMail | UnreadableMail> {
  const fallbackId = `<sha256-${createHash('sha256').update(raw).digest('hex')}@calldesk.invalid>`;
  let email: PostalMime.Email;
  try {
    email = await PostalMime.parse(raw);
  } catch (err) {
    return { ok: false, messageId: headerMessageId(raw) ?? fallbackId, from: null, subject: '', reason: `не читается структура письма: ${(err as Error).message}` };
  }
  const messageId = messageIds(email.messageId)[0] ?? fallbackId;
  const subject = (email.subject ?? '').trim();
  const mailbox = email.from && 'address' in email.from ? email.from : null;
  const from = mailbox?.address?.trim().toLowerCase() ?? '';
  const unreadable = (reason: string): UnreadableMail => ({ ok: false, messageId, from: from || null, subject, reason });
  if (!ADDRESS.test(from)) return unreadable('нет пригодного отправителя (From)');
  const headers: MailHeader[] = email.headers.map((h) => ({ key: h.key.toLowerCase(), value: h.value }));
  const classification = classify({ headers, from }, ownAddresses);
  const body = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  if (!classification.bounce && body.trim() === '' && email.attachments.length === 0 && rawBodyLength(raw) > 0) {
    return unreadable('не удалось извлечь текст (сломана структура MIME или кодировка)');
  }
  if (replacementShare(body) > 0.2) return unreadable('текст в кодировке, которую не удалось декодировать');
  const { text, quoted } = foldQuoted(body);
  return {
    ok: true,
    messageId,
    from,
    fromName: mailbox?.name?.trim() ?? '',
    subject,
    cleanSubject: cleanSubject(subject),
    tagNumber: tagNumber(subject),
    referencedIds: referencedIds(email.inReplyTo, email.references),
    text,
    quoted,
    attachments: email.attachments.map((a) => ({
      filename: a.filename ?? 'attachment',
      contentType: a.mimeType || 'application/octet-stream',
      content: Buffer.from(typeof a.content === 'string' ? Buffer.from(a.content, a.encoding === 'base64' ? 'base64' : 'utf8') : new Uint8Array(a.content as ArrayBuffer)),
    })),
    classification,
    bounce: classification.bounce ? bounceFacts(raw, messageId) : null,
  };
}

/** What a delivery-status report says: the failed recipients and the original mail's ids and tag. */
function bounceFacts(raw: Buffer, ownId: string): ParsedMail['bounce'] {
  const s = raw.toString('latin1');
  const recipients = [...s.matchAll(/^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s<>;]+@[^\s<>;]+)>?/gim)].map((m) => m[1].toLowerCase());
  const originalIds = [...s.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((m) => m[1]).filter((id) => id !== ownId);
  const tag = /\[CD#\s*(\d{4}-\d{6,})\s*\]/i.exec(s);
  return { recipients: [...new Set(recipients)], originalIds: [...new Set(originalIds)], tagNumber: tag ? tag[1] : null };
}

function headerMessageId(raw: Buffer): string | null {
  const m = /^Message-ID:\s*(<[^<>\s]+>)/im.exec(raw.subarray(0, 64 * 1024).toString('latin1'));
  return m ? m[1] : null;
}

function rawBodyLength(raw: Buffer): number {
  const s = raw.toString('latin1');
  const at = s.search(/\r?\n\r?\n/);
  return at < 0 ? 0 : s.slice(at).trim().length;
}

function replacementShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  return bad / text.length;
}
