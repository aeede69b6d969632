// agentctl completion bash|zsh|fish: a completion script generated from the command definitions.
import type { Command } from 'commander';
import { bashScript } from './completion/bash.js';
import { fishScript } from './completion/fish.js';
import { completionModel } from './completion/model.js';
import { zshScript } from './completion/zsh.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
export type Shell = keyof typeof SCRIPTS;

export function completionScript(program: Command, shell: Shell): string {
  return SCRIPTS[shell](completionModel(program));
}

export function completion(program: Command, shell: string): void {
  process.stdout.write(completionScript(program, shell as Shell));
}
