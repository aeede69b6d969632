// spec.loginShell: the argv run through the user's login shell on its host, every argument still exact (pure).

/**
 * `/bin/sh -c SCRIPT agentctl-login argv...`: the small POSIX sh script execs the login shell
 * named by $SHELL in the agent's environment (that host's, DESIGN §9.5), `-l -c 'exec "$@"'`,
 * and hands it the argv as positional parameters. No argument is ever part of a script: each
 * reaches the program as the same bytes. The login shell reads its profile (nvm, environment
 * modules, a PATH set there), then is replaced by the program. fish has no "$@": it gets
 * `exec $argv`, its own word for the same list.
 */
export const LOGIN_SCRIPT = [
  'sh_=${SHELL:-/bin/sh}',
  'case ${sh_##*/} in',
  `  fish) exec "$sh_" -l -c 'exec $argv' "$@" ;;`,
  `  *) exec "$sh_" -l -c 'exec "$@"' agentctl-login "$@" ;;`,
  'esac',
].join('\n');

export function loginShellArgv(argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', LOGIN_SCRIPT, 'agentctl-login', ...argv];
}
