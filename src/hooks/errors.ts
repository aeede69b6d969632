// Errors of the hook runner: each names the entry it is about and keeps the underlying cause.

/** A hook entry could not be run at all (program missing, cwd unusable, output unreadable). */
export class HookSpawnError extends Error {
  constructor(
    readonly entry: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${entry}: ${message}`, options);
    this.name = 'HookSpawnError';
  }
}

/** A URL hook's request failed: no connection, timeout, or a non-2xx answer. */
export class HookRequestError extends Error {
  constructor(
    readonly entry: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${entry}: ${message}`, options);
    this.name = 'HookRequestError';
  }
}
