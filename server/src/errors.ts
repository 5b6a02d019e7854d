// The one error type that leaves an action: an HTTP status plus a stable code.
import type { ErrorCode } from '@parley/protocol';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const badRequest = (message: string) => new AppError(400, 'invalid_request', message);

/** A refusal that says when to come back: the error handler turns it into a Retry-After header. */
export class RetryLaterError extends AppError {
  constructor(status: number, code: ErrorCode, message: string, readonly retryAfterSeconds: number) {
    super(status, code, message);
  }
}
