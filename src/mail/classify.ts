// What kind of mail this is, before anything acts on it: a delivery-status bounce, and whether an
// automatic answer to it is allowed (never to auto-replies, bulk and list mail, mailer daemons or
// calldesk's own mail: that is how mail loops start). Pure.

export interface MailHeader {
  /** Lower-cased header name. */
  key: string;
  value: string;
}

export interface MailFacts {
  headers: readonly MailHeader[];
  /** The sender's address, lower-cased; null when there is none. */
  from: string | null;
}

export interface Classification {
  /** A delivery-status report: attached to the request it bounced from, opens none. */
  bounce: boolean;
  /** May calldesk answer this mail automatically (acknowledgement, notices)? */
  autoReplyAllowed: boolean;
  /** Why not, when it may not (for the log and the admin). */
  noAutoReplyBecause: string | null;
}

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|no-?reply|do-?not-?reply)@/i;

function header(h: readonly MailHeader[], key: string): string | null {
  const found = h.find((x) => x.key === key);
  return found ? found.value.trim() : null;
}

/** Whether the top-level Content-Type is a delivery-status report (RFC 3464). */
export function isDeliveryReport(contentType: string | null): boolean {
  if (!contentType) return false;
  return /^\s*multipart\/report\b/i.test(contentType) && /report-type\s*=\s*"?delivery-status"?/i.test(contentType);
}

/**
 * Classifies a mail. `ownAddresses` are calldesk's own sending addresses (lower-cased); mail from
 * them, or carrying calldesk's own header, is never answered.
 */
export function classify(m: MailFacts, ownAddresses: readonly string[] = []): Classification {
  const h = m.headers;
  const bounce = isDeliveryReport(header(h, 'content-type'));
  const no = (why: string): Classification => ({ bounce, autoReplyAllowed: false, noAutoReplyBecause: why });
  if (bounce) return no('delivery-status report');
  const auto = header(h, 'auto-submitted');
  if (auto !== null && auto.split(';')[0].trim().toLowerCase() !== 'no') return no(`Auto-Submitted: ${auto}`);
  const precedence = header(h, 'precedence');
  if (precedence && /^(bulk|list|junk)$/i.test(precedence)) return no(`Precedence: ${precedence}`);
  if (header(h, 'list-id') !== null || header(h, 'list-unsubscribe') !== null) return no('mailing list');
  // Microsoft's and others' auto-reply markers.
  if (header(h, 'x-autoreply') !== null || header(h, 'x-autorespond') !== null) return no('auto-reply');
  const returnPath = h.find((x) => x.key === 'return-path');
  if (returnPath && /^<\s*>$/.test(returnPath.value.trim())) return no('empty Return-Path');
  if (!m.from) return no('no sender');
  if (DAEMON.test(m.from)) return no(`sender ${m.from}`);
  if (ownAddresses.includes(m.from) || header(h, 'x-calldesk') !== null) return no("calldesk's own mail");
  return { bounce, autoReplyAllowed: true, noAutoReplyBecause: null };
}
