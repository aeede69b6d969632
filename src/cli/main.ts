#!/usr/bin/env -S node --max-semi-space-size=2
// agentctl's command line: global flags (each with its environment variable) and the commands.
// (The shebang's small young generation keeps a controller holding 10,000 specs ~70 MB smaller in
// resident memory; V8 only takes it as a start-up flag, and it costs the CLI nothing measurable.)
import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './register-commands.js';
import { ExitError } from './exit.js';

const program = new Command('agentctl')
  .description('Keep long-running agents (tmux sessions, Slurm jobs) running exactly as a folder of YAML specs says.')
  .addOption(new Option('--specs <dir>', 'folder of agent specs').env('AGENTCTL_SPECS').default('./specs'))
  .addOption(new Option('--state <dir>', 'state directory (default $XDG_STATE_HOME/agentctl)').env('AGENTCTL_STATE'))
  .addOption(new Option('--tmux-socket <name>', 'tmux server socket name (-L)').env('AGENTCTL_TMUX_SOCKET').default('agentctl'))
  .addOption(new Option('--host <name>', 'this controller\'s host name, for placement and overlays (default: hostname)').env('AGENTCTL_HOST'))
  .addOption(new Option('--log-level <level>', 'log level').env('AGENTCTL_LOG_LEVEL').default('info').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
  .addOption(new Option('--log-format <format>', 'log format (default: pretty when stderr is a TTY)').env('AGENTCTL_LOG_FORMAT').choices(['json', 'pretty']))
  .showHelpAfterError()
  .exitOverride();

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
