#!/usr/bin/env node
// agentctl's command line: global flags (each with its environment variable) and the commands.
// (No V8 flags in the shebang: `--max-semi-space-size=2` cost every command ~15 ms of CPU at
// start, a quarter of a bare node's, and with the specs read by js-yaml it no longer changes the
// resident memory of a controller holding 10,000 specs measurably: 235 vs 243 MB.)
import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './register-commands.js';
import { ExitError } from './exit.js';
import { packageInfo } from './commands/package-root.js';

const program = new Command('agentctl')
  .description('Keep long-running agents (tmux sessions, Slurm jobs) running exactly as a folder of YAML specs says.')
  .addOption(new Option('--specs <dir>', 'folder of agent specs').env('AGENTCTL_SPECS').default('./specs'))
  .addOption(new Option('--state <dir>', 'state directory (default $XDG_STATE_HOME/agentctl)').env('AGENTCTL_STATE'))
  .addOption(
    new Option('--tmux-socket <name>', 'tmux server socket name (-L)').env('AGENTCTL_TMUX_SOCKET').default('agentctl'),
  )
  .addOption(
    new Option('--host <name>', "this controller's host name, for placement and overlays (default: hostname)").env(
      'AGENTCTL_HOST',
    ),
  )
  .addOption(
    new Option('--log-level <level>', 'log level')
      .env('AGENTCTL_LOG_LEVEL')
      .default('info')
      .choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  )
  .addOption(
    new Option('--log-format <format>', 'log format (default: pretty when stderr is a TTY)')
      .env('AGENTCTL_LOG_FORMAT')
      .choices(['json', 'pretty']),
  )
  .option('-V, --version', 'print the version of agentctl and exit (`agentctl version` says more)')
  .showHelpAfterError()
  .exitOverride();

// package.json is read only when the version is asked for (as commander's own .version() would
// print it, but without reading the file at every start).
program.on('option:version', () => {
  process.stdout.write(`${packageInfo().version}\n`);
  process.exit(0);
});

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; usage errors exit 2 (could not run).
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof ExitError) {
    if (err.message) process.stderr.write(`agentctl: ${err.message}\n`);
    process.exitCode = err.code;
  } else {
    process.stderr.write(`agentctl: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  }
}
