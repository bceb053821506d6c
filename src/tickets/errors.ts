// The named errors of the request core. http/error-handler maps them by `name`:
// ValidationError → 400 (naming `field`), Forbidden → 403, NotFound → 404,
// IllegalTransition, StaleVersion and Conflict → 409, TooLarge → 413, UnsupportedType → 415. Plain data on each so the mapper needs no imports.
import type { Role, TicketStatus } from './ticket';
import type { TicketCommandType, Transition } from './commands';

/** A command's input is missing or wrong; `field` names it (`description`, `solution`, `comment`…). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command cannot run in the request's current status; `allowed` lists what can. */
export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
  constructor(
    readonly command: TicketCommandType,
    readonly status: TicketStatus,
    readonly allowed: readonly Transition[],
  ) {
    const can = allowed.length === 0 ? 'nothing' : allowed.map((a) => `${a.command} → ${a.to}`).join(', ');
    super(`cannot ${command} a ${status} request; allowed from ${status}: ${can}`);
  }
}

/** The actor's role or relation to the request does not permit the command. */
export class Forbidden extends Error {
  override readonly name = 'Forbidden';
  constructor(
    readonly command: TicketCommandType,
    readonly role: Role | 'system',
    message: string,
  ) {
    super(message);
  }
}

/** R10 is not due yet (the customer may have been in touch since the job picked the request). */
export class AutoCloseNotDue extends Error {
  override readonly name = 'AutoCloseNotDue';
  constructor(readonly dueAt: Date | null) {
    super(dueAt === null ? 'the request has no auto-close deadline' : `auto-close is due at ${dueAt.toISOString()}`);
  }
}

/** Thrown by persistence when the request changed since the client read `expectedVersion`. */
export class StaleVersion extends Error {
  override readonly name = 'StaleVersion';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`the request changed meanwhile: version ${currentVersion}, not ${expectedVersion}; reload and retry`);
  }
}

export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(
    readonly what: string,
    readonly id: string | null = null,
  ) {
    super(id === null ? `${what} not found` : `${what} ${id} not found`);
  }
}

/** What was asked for clashes with what is stored (a login or extension taken); `field` names it when known. */
export class Conflict extends Error {
  override readonly name = 'Conflict';
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** An attached file is bigger than the limit (`maxBytes`). */
export class TooLarge extends Error {
  override readonly name = 'TooLarge';
  constructor(readonly maxBytes: number) {
    super(`an attachment is at most ${maxBytes} bytes`);
  }
}

/** An attached file is not of a kind that is accepted; `allowed` lists the media types that are. */
export class UnsupportedType extends Error {
  override readonly name = 'UnsupportedType';
  constructor(
    readonly field: string,
    readonly allowed: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** What `decide` and `authorize` can answer instead of going ahead. */
export type TicketError = ValidationError | IllegalTransition | Forbidden | AutoCloseNotDue;
