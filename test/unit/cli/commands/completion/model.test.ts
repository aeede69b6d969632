// The completion model read from a commander definition: options, values, arguments and what they are.
import { describe, expect, it } from 'vitest';
import { Argument, Command, Option } from 'commander';
import { completionModel } from '../../../../../src/cli/commands/completion/model.js';

function program(): Command {
  const p = new Command('agentctl')
    .addOption(new Option('--specs <dir>', 'specs folder'))
    .addOption(new Option('--log-level <level>', 'level').choices(['info', 'debug']));
  p.command('get')
    .description('show')
    .argument('[names...]')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']))
    .option('-w, --watch', 'watch');
  p.command('import').description('convert').argument('<files...>').option('--out-file <path>', 'where');
  p.command('completion')
    .description('script')
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh']));
  p.command('secret', { hidden: true }).description('not shown');
  return p;
}

describe('completionModel', () => {
  const m = completionModel(program());

  it('lists the visible commands, and help', () => {
    expect(m.program).toBe('agentctl');
    expect(m.commands.map((c) => c.name)).toEqual(['get', 'import', 'completion', 'help']);
  });

  it('reads global options with their value kinds and choices', () => {
    expect(m.globalOptions.map((o) => [o.names, o.takesValue, o.valueKind, o.choices])).toEqual([
      [['--specs'], true, 'dir', []],
      [['--log-level'], true, 'other', ['info', 'debug']],
      [['-h', '--help'], false, 'other', []],
    ]);
  });

  it('knows which arguments are agent names, files, choices or commands', () => {
    const args = Object.fromEntries(m.commands.map((c) => [c.name, c.args.map((a) => [a.name, a.kind, a.variadic])]));
    expect(args).toEqual({
      get: [['names', 'agent', true]],
      import: [['files', 'file', true]],
      completion: [['shell', 'choice', false]],
      help: [['command', 'command', false]],
    });
    const get = m.commands[0]!;
    expect(get.options.map((o) => [o.names, o.takesValue, o.choices])).toEqual([
      [['-o', '--output'], true, ['table', 'json']],
      [['-w', '--watch'], false, []],
      [['-h', '--help'], false, []],
    ]);
    expect(m.commands[1]!.options[0]!.valueKind).toBe('file');
  });
});
