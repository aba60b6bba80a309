import type { ErrorCode } from '../../shared/protocol';

/** Thrown inside socket handlers; the dispatcher turns it into a typed error answer. */
export class SocketError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
