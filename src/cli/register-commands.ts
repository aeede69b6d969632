// Declares every command and its flags; each command's code is loaded only when it runs.
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import type { GlobalOptions } from './context.js';
import { KEY_HELP_NAMES } from '../terminal/key-names.js';

type Opts = Record<string, unknown>;

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as unknown as GlobalOptions;
}

const intArg = (v: string): number => {
  const n = Number(v);
  // commander reports an InvalidArgumentError as a usage error (exit 2), without a stack trace.
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer.');
  return n;
};

const SELECTOR_HELP =
  'label selector: key=value, key!=value, key, !key, key in (a,b), key notin (a,b); comma-separated terms must all hold';

export function registerCommands(program: Command): void {
  program
    .command('validate')
    .description('parse and check every spec (exit 0 valid, 1 invalid)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: Opts, cmd: Command) => (await import('./commands/validate.js')).validate(globals(cmd), opts));

  program
    .command('diff')
    .description('show what reconcile would do (exit 0 in sync, 1 changes pending, 2 error)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--allow-mass-prune', 'show prunes the mass-prune guard would otherwise refuse')
    .action(async (opts: Opts, cmd: Command) => (await import('./commands/diff.js')).diff(globals(cmd), opts));

  program
    .command('reconcile')
    .description('converge agents to their specs: once, or as a controller until SIGTERM')
    .option('--once', 'converge everything, then exit (0 converged, 1 not converged or invalid specs, 2 could not run)')
    .option('--timeout <duration>', 'with --once: how long to wait for convergence', '60s')
    .option('--settle <duration>', 'with --once: how long an agent started now must stay up to count as running', '1s')
    .option('--resync <duration>', 'how often to observe every runtime', '30s')
    .option(
      '--concurrency <n>',
      'reconciles in flight at once (with --once, default: all agents at once, so starts go out in one batch)',
      '16',
    )
    .addOption(
      new Option(
        '--http-addr <addr>',
        'serve the fleet page, /api/agents, /api/events, /metrics, /healthz and /readyz on HOST:PORT (a bare port binds loopback)',
      ).env('AGENTCTL_HTTP_ADDR'),
    )
    .addOption(new Option('--metrics-addr <addr>', 'the old name of --http-addr').hideHelp())
    .addOption(
      new Option(
        '--http-token <token>',
        'bearer token the HTTP server requires (needed for a non-loopback --http-addr)',
      ).env('AGENTCTL_HTTP_TOKEN'),
    )
    .option(
      '--allow-mass-prune',
      'allow pruning when the folder is missing or empty, or more than half of the agents at once',
    )
    .action(async (opts: Opts, cmd: Command) =>
      (await import('./commands/reconcile.js')).reconcile(globals(cmd), {
        ...opts,
        concurrencyGiven: cmd.getOptionValueSource('concurrency') !== 'default',
      }),
    );

  program
    .command('get')
    .description('show agents and their status; `get hosts` shows the Hosts (exit 1 if a name is unknown)')
    .argument('[names...]', 'agent names, or `hosts [NAME...]` / `agents [NAME...]`')
    .addOption(
      new Option('-o, --output <format>', 'output format (name: agent/NAME per line)')
        .choices(['table', 'wide', 'json', 'yaml', 'name'])
        .default('table'),
    )
    .option('-l, --selector <selector>', SELECTOR_HELP)
    .option(
      '--field-selector <selector>',
      'field selector, as kubectl: claude.activity=WaitingForInput, phase!=Running, ready=true; =, ==, != ; comma-separated terms must all hold',
    )
    .option(
      '-w, --watch',
      'after the listing, print each agent again whenever its row changes (-o json: one {"type","object"} event per line), until interrupted',
    )
    .option('--no-headers', 'omit the header line of table and wide output')
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/get.js')).get(globals(cmd), names, opts),
    );

  program
    .command('describe')
    .description("show an agent's spec, status, conditions and events")
    .argument('<name>')
    .action(async (name: string, _opts: Opts, cmd: Command) =>
      (await import('./commands/describe.js')).describe(globals(cmd), name),
    );

  program
    .command('logs')
    .description("show an agent's recent output (exit 1 if the agent is unknown or has no output)")
    .argument('[name]')
    .option(
      '-l, --selector <selector>',
      `the agents whose labels match (${SELECTOR_HELP}); lines are prefixed with [name]`,
    )
    .option('-n, --lines <n>', 'how many lines', intArg, 50)
    .option(
      '-f, --follow',
      'keep printing new output: each line once, as soon as it is complete (checked every second)',
    )
    .option('--prefix', 'prefix each line with [name]')
    .option(
      '--since <duration>',
      "only lines written in the last DURATION (e.g. 10m), as far as the controller's output clock knows: it notes where each agent's output ends every 10 s (and at each resync) while it runs, so up to one interval of older lines may show; -n then keeps the last N of them",
    )
    .option(
      '--timestamps',
      "prefix each line with when it was first seen (UTC, to the second): by the controller's output clock (up to 10 s late; `-` for lines older than the clock) and, with -f, when this command read it (within a second)",
    )
    .action(async (name: string | undefined, opts: Opts, cmd: Command) =>
      (await import('./commands/logs.js')).logs(
        globals(cmd),
        name,
        opts,
        cmd.getOptionValueSource('lines') !== 'default',
      ),
    );

  program
    .command('attach')
    .description('attach the terminal to an agent (tmux)')
    .argument('<name>')
    .action(async (name: string, _opts: Opts, cmd: Command) =>
      (await import('./commands/attach.js')).attach(globals(cmd), name),
    );

  program
    .command('send')
    .description(
      "type TEXT (literally) and Enter into a running agent's terminal, or named keys with --key; " +
        'control characters in TEXT are refused (send them with --key)',
    )
    .argument('[name]', 'the agent (with -l, the first word of TEXT)')
    .argument('[text...]')
    .option('--key <key...>', `named keys, in order: ${KEY_HELP_NAMES.join(', ')}, ...`)
    .option('-l, --selector <selector>', `every agent matching: ${SELECTOR_HELP}`)
    .option('--when-idle', "wait until the agent's Claude Code is Idle before typing (from its hooks)")
    .option(
      '--timeout <duration>',
      'how long --when-idle waits (default 10m); with TEXT alone, how long Claude Code has to take the prompt (default 15s)',
    )
    .action(async (name: string | undefined, text: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/send.js')).send(globals(cmd), name, text, opts),
    );

  program
    .command('approve')
    .description("answer yes to an agent's pending permission request (exit 1 when none is pending)")
    .argument('[names...]')
    .option('--all-waiting', 'every agent with a pending permission request')
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/approve.js')).answer(globals(cmd), 'approve', names, opts),
    );

  program
    .command('deny')
    .description("answer no to an agent's pending permission request; the message is what Claude is told")
    .argument('[names...]')
    .option('--all-waiting', 'every agent with a pending permission request')
    .option('--message <text>', 'what Claude reads as the reason')
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/approve.js')).answer(globals(cmd), 'deny', names, opts),
    );

  program
    .command('restart')
    .description('request a rolling restart of agents (exit 1 if a name is unknown or a restart did not converge)')
    .argument('[names...]')
    .option('-l, --selector <selector>', SELECTOR_HELP)
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/requests.js')).request(globals(cmd), 'restart', names, opts),
    );

  program
    .command('suspend')
    .description('stop reconciling agents (and stop them with --stop)')
    .argument('[names...]')
    .option('-l, --selector <selector>', SELECTOR_HELP)
    .option('--all', 'every agent (the fleet-wide stop, with --stop)')
    .option('--stop', 'also stop the agents')
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/requests.js')).request(globals(cmd), 'suspend', names, opts),
    );

  program
    .command('resume')
    .description('resume reconciling suspended agents')
    .argument('[names...]')
    .option('-l, --selector <selector>', SELECTOR_HELP)
    .option('--all', 'every suspended agent')
    .action(async (names: string[], opts: Opts, cmd: Command) =>
      (await import('./commands/requests.js')).request(globals(cmd), 'resume', names, opts),
    );

  program
    .command('schema')
    .description('print the JSON Schema of the spec, for editors')
    .action(async () => (await import('./commands/schema.js')).schema());

  program
    .command('import')
    .description('print agentctl/v1 specs for YAML of the older Python tool')
    .argument('<files...>')
    .action(async (files: string[]) => (await import('./commands/import.js')).importCommand(files));

  program
    .command('version')
    .description('print the versions of agentctl (and the commit of a checkout) and node')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: Opts) => (await import('./commands/version.js')).version(opts));

  program
    .command('completion')
    .description('print a shell completion script, generated from these commands')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: string, _opts: Opts, cmd: Command) =>
      (await import('./commands/completion.js')).completion(cmd.parent!, shell),
    );

  program
    .command('install-service')
    .description('write the systemd user unit for `reconcile`, with absolute paths of this node and agentctl')
    .option('--unit-dir <dir>', 'where to write agentctl.service (default ~/.config/systemd/user)')
    .option('--http-addr <addr>', 'the address the controller serves its page and metrics on (default 127.0.0.1:9464)')
    .option('--print', 'print the unit instead of writing it')
    .action(async (opts: Opts, cmd: Command) =>
      (await import('./commands/install-service.js')).installService(globals(cmd), {
        ...(typeof opts.unitDir === 'string' ? { unitDir: opts.unitDir } : {}),
        ...(typeof opts.httpAddr === 'string' ? { httpAddr: opts.httpAddr } : {}),
        print: opts.print === true,
        specsGiven: cmd.parent!.getOptionValueSource('specs') !== 'default',
        hostGiven: cmd.parent!.getOptionValueSource('host') !== undefined,
      }),
    );
}
