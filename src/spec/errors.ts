// Spec errors that name file, line, column and field path, and their one-line rendering.

export interface SpecError {
  file: string;
  line: number;
  col: number;
  /** Dotted field path such as `spec.command[0]`; empty for file-level errors. */
  path: string;
  message: string;
}

export type PathSegment = string | number;

/** Renders `spec.hooks.preStart[0].exec` from ['spec','hooks','preStart',0,'exec']. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function formatSpecError(e: SpecError): string {
  const where = `${e.file}:${e.line}:${e.col}`;
  return e.path === '' ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
}

export function compareSpecErrors(a: SpecError, b: SpecError): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.path.localeCompare(b.path);
}
