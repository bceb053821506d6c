import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Iso = Type.String({ format: 'date-time' });
export const NullableIso = Type.Union([Iso, Type.Null()]);
export const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};
