/**
 * The one error type of Vigie: a refusal meant for the person who asked (HTTP client or command
 * line), with its HTTP status, a stable machine code and a French message. The HTTP error handler
 * (http.ts) answers it as `{ error: code, message, details? }`; the command line prints the
 * message and exits with code 2. Anything else thrown is a fault: a 500 with a request id, the
 * internals kept in the server's log.
 */

/** What an error may add to its message: a list of problems (one per line) or named values. */
export type ErrorDetails = string[] | Record<string, unknown>;

export class AppError extends Error {
  constructor(
    /** HTTP status of the answer (4xx: the request is refused; 5xx: a service is unavailable). */
    readonly status: number,
    /** Stable, for programs (the web app, scripts): snake_case English words. */
    readonly code: string,
    /** French, for people: says what is wrong and, when possible, what to do. */
    message: string,
    options: { details?: ErrorDetails | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    if (options.details !== undefined) this.details = options.details;
  }

  /** Sent with the message when present (the problems of an imported file…). */
  declare readonly details?: ErrorDetails;

  /** A refusal (4xx) is not fixed by trying again: a job that meets one fails at once (jobs/types.ts). */
  get permanent(): boolean {
    return this.status < 500;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** 400: the request is malformed or its content is refused. */
export function invalid(message: string, code = "bad_request", details?: ErrorDetails): AppError {
  return new AppError(400, code, message, { details });
}

/** 401: the request needs a signed-in user. */
export function unauthenticated(message: string, code = "unauthenticated"): AppError {
  return new AppError(401, code, message);
}

/** 403: signed in, but not allowed. */
export function forbidden(message: string, code = "forbidden"): AppError {
  return new AppError(403, code, message);
}

/** 404: what the request names does not exist (or is not visible to the caller). */
export function notFound(message: string, code = "not_found"): AppError {
  return new AppError(404, code, message);
}

/** 409: the request conflicts with the current state (already done, edited meanwhile…). */
export function conflict(message: string, code = "conflict", details?: ErrorDetails): AppError {
  return new AppError(409, code, message, { details });
}
