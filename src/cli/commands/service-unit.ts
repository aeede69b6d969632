// Fills in the systemd user unit template: absolute node and agentctl paths, PATH and settings (pure).

export interface UnitValues {
  /** Absolute path of the node binary (process.execPath). */
  node: string;
  /** Absolute path of agentctl's compiled main.js. */
  cli: string;
  /** The PATH agents get (the installing shell's, as `pm2 startup` does). */
  path: string;
  /** Environment= settings to set (replacing the template's line for the same key). */
  env: Record<string, string>;
  /** Where the template came from, for the header. */
  template: string;
}

/** One word of ExecStart: specifiers (%) and variables ($) doubled, quoted when it has spaces. */
export function execWord(word: string): string {
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/(["\\])/g, '\\$1')}"` : escaped;
}

/** An Environment= line, always quoted (values may hold spaces); only specifiers expand there. */
export function envLine(key: string, value: string): string {
  return `Environment="${`${key}=${value}`.replaceAll('%', '%%').replace(/(["\\])/g, '\\$1')}"`;
}

const envKey = (line: string): string | undefined => /^Environment="?([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];

export function renderUnit(template: string, v: UnitValues): string {
  const lines = template.split('\n');
  // The template's own install notes are replaced by a note on where this file came from.
  const start = lines.findIndex((l) => l.trim() === '[Unit]');
  const body = lines.slice(start < 0 ? 0 : start).map((line) => {
    if (line.startsWith('#')) return line;
    if (line.startsWith('ExecStart='))
      return line.replace('@NODE@', execWord(v.node)).replace('@AGENTCTL@', execWord(v.cli));
    const key = envKey(line);
    if (key === 'PATH') return envLine('PATH', v.path);
    if (key !== undefined && key in v.env) return envLine(key, v.env[key]!);
    return line;
  });
  const missing = Object.keys(v.env).filter((k) => !body.some((l) => envKey(l) === k));
  const at = body.findIndex((l) => l.startsWith('EnvironmentFile='));
  body.splice(
    at < 0 ? body.findIndex((l) => l.startsWith('ExecStart=')) : at,
    0,
    ...missing.map((k) => envLine(k, v.env[k]!)),
  );
  const header = [
    `# Written by \`agentctl install-service\` from ${v.template}.`,
    '# Run it again after moving node or agentctl (an nvm upgrade, a new checkout): the paths are absolute',
    "# because the user manager's PATH is not your shell's.",
    '#     systemctl --user daemon-reload && systemctl --user enable --now agentctl',
    '#     loginctl enable-linger "$USER"    # keep it (and the agents) running after logout',
  ];
  return [...header, ...body].join('\n');
}
