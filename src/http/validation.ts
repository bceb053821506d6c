// How requests are checked against their route's schema. Query strings and path parameters are
// text, so they are coerced to the types their schema says (`?limit=5` is 5; `?status=a` a list of
// one). JSON bodies carry their own types and are taken as sent: "5" is not 5, a single value is
// not a list, null is not "" — a client's mistake is a 400 naming the field, not a guess.
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyInstance } from 'fastify';

const COMMON = { removeAdditional: false, allErrors: false } as const;

export function installValidation(app: FastifyInstance): void {
  const pool = AjvCompiler();
  const text = pool({}, { customOptions: { ...COMMON, coerceTypes: 'array' } });
  const json = pool({}, { customOptions: { ...COMMON, coerceTypes: false } });
  app.setValidatorCompiler((route) => (route.httpPart === 'body' ? json : text)(route));
}
