// Values for a route's JSON schema, judged by Ajvs set up as the service's (src/http/validation.ts:
// text coerced, JSON bodies as typed; all formats): a valid one to fill what a request must carry,
// and invalid ones to send on purpose.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, any>;

function judge(coerceTypes: 'array' | false) {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  return (schema: Schema, value: unknown) => {
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = ajv.compile(schema)));
    return v(structuredClone(value)) as boolean;
  };
}
const asText = judge('array');
const asJson = judge(false);

/** Whether the service would accept `value` for `schema`: as a JSON body (`json`) or as text (checked on a copy: Ajv coerces in place). */
export function accepts(schema: Schema, value: unknown, json = false): boolean {
  return (json ? asJson : asText)(schema, value);
}

const BY_FORMAT: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000001',
  'date-time': '2026-03-02T10:00:00Z',
  date: '2026-03-02',
  time: '10:00:00Z',
  email: 'someone@example.com',
  uri: 'https://example.com/',
};
const STRING_TRIES = ['+79115550101', '101', 'agent101', 'abc', 'T-1', '2026-03-02', '10:00', 'a', 'A1', 'x.png', 'confirmed'];

/** A value the schema accepts (undefined if none of the simple ones is). */
export function validValue(s: Schema): unknown {
  if ('const' in s) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union) return validValue(union[0]);
  switch (s.type) {
    case 'string': {
      const tries = s.format ? [BY_FORMAT[s.format]] : [...STRING_TRIES, 'x'.repeat(Math.max(1, s.minLength ?? 1))];
      return tries.find((x) => x !== undefined && accepts(s, x));
    }
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => validValue(s.items ?? {}));
    case 'object': {
      // The required fields, and as many others as `minProperties` asks (a change must change something).
      const keys = Object.keys(s.properties ?? {});
      const required: string[] = s.required ?? [];
      const more = keys.filter((k) => !required.includes(k)).slice(0, Math.max(0, (s.minProperties ?? 0) - required.length));
      return Object.fromEntries([...required, ...more].map((k) => [k, validValue(s.properties?.[k] ?? {})]));
    }
    default:
      return undefined;
  }
}

/** JSON values of every kind: for a body, the ones a property's schema refuses are the bad input. */
export const BAD_JSON: unknown[] = [{}, 'not a valid value', -1, 1.5, true, null, [], '', 'x'.repeat(100_001), [{}], { $ne: null }];
/** What a path or a query string can carry (text only). */
export const BAD_TEXT: string[] = ['not a valid value', '', '-1', '0', '1.5', '99999999999999999999', 'x'.repeat(600), '2026-13-45T99:00:00Z', 'null', "1' OR '1'='1", '\u0000'];
