import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ConfigError } from './config-error';

/** A configured support number in any Russian form → E.164; a clear error for anything else. */
export function normalizeSupportNumber(raw: string): string {
  const parsed = parsePhoneNumberFromString(raw, 'RU');
  if (!parsed || !parsed.isValid()) throw new ConfigError(`invalid support number: ${raw}`);
  return parsed.number;
}
