// Named errors of the AMI edge, so callers can tell a refused action from a lost connection.
import type { RawAmiMessage } from './raw';

/** The PBX answered the action with `Response: Error`. */
export class AmiActionError extends Error {
  override readonly name = 'AmiActionError';
  constructor(
    readonly action: string,
    readonly response: RawAmiMessage,
  ) {
    super(`AMI action ${action} failed: ${typeof response.message === 'string' ? response.message : 'error response'}`);
  }
}

/** No answer within the action's timeout. */
export class AmiTimeoutError extends Error {
  override readonly name = 'AmiTimeoutError';
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(`AMI action ${action} got no answer within ${timeoutMs} ms`);
  }
}

/** The action could not be sent or answered because there is no (longer a) logged-in connection. */
export class AmiNotConnectedError extends Error {
  override readonly name = 'AmiNotConnectedError';
  constructor(
    readonly action: string,
    readonly reason: string,
  ) {
    super(`AMI action ${action}: ${reason}`);
  }
}
