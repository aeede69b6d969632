// Errors of agentctl import: each names the file (and document) it is about.

/** The file is not YAML, or not YAML of a format import knows. */
export class ImportFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
    this.name = 'ImportFormatError';
  }
}

/** The file could not be read at all. */
export class ImportReadError extends Error {
  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    const code = (options?.cause as { code?: unknown } | undefined)?.code;
    super(`${file}: cannot read${typeof code === 'string' ? `: ${code}` : ''}`, options);
    this.name = 'ImportReadError';
  }
}
