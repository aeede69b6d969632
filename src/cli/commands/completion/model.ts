// What shell completion knows, read from the commander definition itself so it never drifts from it.
import type { Argument, Command, Option } from 'commander';

export interface CompletionOption {
  /** `-o`, `--output`: every spelling. */
  names: string[];
  description: string;
  /** Takes a value: the next word is that value, not a command or an argument. */
  takesValue: boolean;
  choices: string[];
  /** What the value is (from `<dir>`, `<file>`): folders and files complete from the disk. */
  valueKind: 'dir' | 'file' | 'other';
}

export interface CompletionArgument {
  name: string;
  variadic: boolean;
  choices: string[];
  /** Agent names complete from `agentctl get -o name`; files from the disk; `help`'s from the commands. */
  kind: 'agent' | 'file' | 'choice' | 'command' | 'other';
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  args: CompletionArgument[];
}

export interface CompletionModel {
  program: string;
  globalOptions: CompletionOption[];
  commands: CompletionCommand[];
}

function option(o: Option): CompletionOption {
  const value = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? '';
  return {
    names: [o.short, o.long].filter((n): n is string => Boolean(n)),
    description: o.description,
    takesValue: o.required || o.optional,
    choices: [...(o.argChoices ?? [])],
    valueKind: /dir/.test(value) ? 'dir' : /file|path/.test(value) ? 'file' : 'other',
  };
}

function argument(a: Argument): CompletionArgument {
  const name = a.name();
  const choices = [...(a.argChoices ?? [])];
  const kind = choices.length
    ? 'choice'
    : /^names?$/.test(name)
      ? 'agent'
      : /^files?$/.test(name)
        ? 'file'
        : name === 'command'
          ? 'command'
          : 'other';
  return { name, variadic: a.variadic, choices, kind };
}

export function completionModel(program: Command): CompletionModel {
  const help = program.createHelp();
  return {
    program: program.name(),
    globalOptions: help.visibleOptions(program).map(option),
    commands: help.visibleCommands(program).map((c) => ({
      name: c.name(),
      description: c.description(),
      options: help.visibleOptions(c).map(option),
      args: c.registeredArguments.map(argument),
    })),
  };
}
