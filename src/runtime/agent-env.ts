// The minimal base of an agent's environment (DESIGN §9.5), taken from the controller's (pure).

const BASE_KEYS = new Set(['HOME', 'USER', 'LOGNAME', 'SHELL', 'PATH', 'LANG', 'TZ']);

/** HOME, USER, LOGNAME, SHELL, PATH, LANG, LC_* and TZ: nothing else of whichever process first
 * started the tmux server (or runs the controller) leaks into agents. TERM is the terminal's. */
export function baseEnv(from: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && (BASE_KEYS.has(k) || k.startsWith('LC_'))) out[k] = v;
  }
  out.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return out;
}
