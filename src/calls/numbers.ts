// Phone numbers as AMI shows them → E.164, with libphonenumber-js.
// Russian numbers arrive as +79219416004, 79219416004, 89219416004, 9219416004 or
// "+7 (921) 941-60-04"; all become +79219416004. The raw form is always kept by the caller.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface PhoneNumber {
  /** E.164 (`+79219416004`), or null when withheld, internal or not a phone number. */
  e164: string | null;
  /** As received, trimmed; null when nothing was received. */
  raw: string | null;
  /** The caller hid the number (anonymous, restricted, empty…): such calls never match each other. */
  withheld: boolean;
}

/** Caller IDs that mean "no number", compared lower-cased. */
const WITHHELD = new Set([
  '',
  'anonymous',
  'unknown',
  '<unknown>',
  'restricted',
  'private',
  'private number',
  'unavailable',
  'withheld',
  'blocked',
  'no caller id',
]);

export const DEFAULT_COUNTRY: CountryCode = 'RU';

/** Normalise a number; never throws. */
export function normalizeNumber(
  raw: string | null | undefined,
  country: CountryCode = DEFAULT_COUNTRY,
): PhoneNumber {
  if (raw === null || raw === undefined) return { e164: null, raw: null, withheld: true };
  const trimmed = raw.trim();
  if (WITHHELD.has(trimmed.toLowerCase())) {
    return { e164: null, raw: trimmed === '' ? null : trimmed, withheld: true };
  }
  return { e164: toE164(trimmed, country), raw: trimmed, withheld: false };
}

/** E.164 of a number, or null for internal extensions, withheld IDs and anything not a possible number. */
export function toE164(raw: string | null | undefined, country: CountryCode = DEFAULT_COUNTRY): string | null {
  if (!raw) return null;
  let text = raw.trim();
  // A SIP/tel URI in a caller ID field: keep the user part.
  if (text.startsWith('sip:') || text.startsWith('tel:')) text = text.slice(4);
  const at = text.indexOf('@');
  if (at >= 0) text = text.slice(0, at);
  if (text === '' || isExtension(text)) return null;

  // "00" is the international prefix in most of the world (Russia's own is 810, which the
  // library knows); read as a Russian national number it would pass as "possible".
  if (text.startsWith('00')) return international(onlyDigits(text).slice(2));

  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed?.isPossible()) return parsed.number;

  // International numbers written without "+" (380441234567): try them as international.
  const digits = onlyDigits(text);
  if (text.startsWith('+') || digits.length < 11) return null;
  return international(digits);
}

function international(digits: string): string | null {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isPossible() ? parsed.number : null;
}

/**
 * An internal short number (an agent's extension, a queue, a ring group): 2–6 digits.
 * Such numbers are never turned into E.164.
 */
export function isExtension(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 6) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function onlyDigits(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}
