// Maps the core's named domain errors to HTTP errors.
import { HttpError } from './errors';

export function domainErrorToHttp(err: unknown): HttpError | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & Record<string, unknown>;
  switch (e.name) {
    case 'ValidationError':
      return new HttpError(400, 'bad_request', e.message, e.field ? { field: e.field } : undefined);
    case 'IllegalTransition':
      return new HttpError(409, 'illegal_transition', e.message, { allowed: e.allowed });
    case 'StaleVersion':
      return new HttpError(409, 'stale_version', e.message, { currentVersion: e.currentVersion });
    case 'Forbidden':
      return new HttpError(403, 'forbidden', e.message);
    case 'Conflict':
      return new HttpError(409, 'conflict', e.message, e.field ? { field: e.field } : undefined);
    case 'AlreadyBlocked':
      return new HttpError(409, 'already_blocked', e.message, { field: e.field, id: e.id });
    case 'TooLarge':
      return new HttpError(413, 'payload_too_large', e.message);
    case 'UnsupportedType':
      return new HttpError(415, 'unsupported_media_type', e.message, { field: e.field, allowed: e.allowed });
    case 'NotFound':
      return new HttpError(404, 'not_found', e.message);
    default:
      return null;
  }
}
