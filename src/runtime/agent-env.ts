// The minimal base of an agent's environment (DESIGN §9.5), taken from the controller's (pure).

const BASE_KEYS = new Set(['HOME', 'USER', 'LOGNAME', 'SHELL', 'PATH', 'LANG', 'TZ']);

/** The account the controller runs as (its passwd entry), for what its environment lacks. */
export interface Account {
  user?: string;
  home?: string;
  shell?: string;
}

/** HOME, USER, LOGNAME, SHELL, PATH, LANG, LC_* and TZ: nothing else of whichever process first
 * started the tmux server (or runs the controller) leaks into agents. TERM is the terminal's.
 * What a login would set and the controller's environment lacks (a CI runner or a bare
 * `env -i` has no SHELL) comes from the account: otherwise tmux would put its own default-shell
 * in SHELL, and the agent's environment would depend on who started the server. */
export function baseEnv(from: NodeJS.ProcessEnv, account: Account = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && (BASE_KEYS.has(k) || k.startsWith('LC_'))) out[k] = v;
  }
  out.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  if (account.home) out.HOME ??= account.home;
  if (account.user) {
    out.USER ??= account.user;
    out.LOGNAME ??= account.user;
  }
  out.SHELL ??= account.shell || '/bin/sh';
  return out;
}
