import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { badRequest } from './errors';

/** A phone number typed into a filter, in any Russian form → E.164 as stored. */
export function normalizeQueryNumber(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = parsePhoneNumberFromString(raw, 'RU');
  if (!parsed || !parsed.isPossible()) throw badRequest(`querystring field 'callerNumber' is not a phone number`, 'callerNumber');
  return parsed.number;
}
