// The error of a start that cannot be prepared (workdir, files, envFiles): it names the path, never a secret.
export class PrepareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrepareError';
  }
}
