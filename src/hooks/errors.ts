// Errors of the hook runner: each names the entry it is about and keeps the underlying cause.

/** A URL hook's request failed: no connection, timeout, or a non-2xx answer. */
export class HookRequestError extends Error {
  constructor(
    readonly entry: string,
    /** What went wrong, without the entry: outcomes and logs carry the entry separately. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${entry}: ${reason}`, options);
    this.name = 'HookRequestError';
  }
}
