// A throwaway specs + state folder for one agentctl variant, removed by the cleanup stack.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { removeTree } from '../helpers/remove-tree.js';

export interface Workspace {
  dir: string;
  specs: string;
  state: string;
  /** agentctl's environment: this folder, this socket, JSON logs, a fixed host name. */
  env(socket: string): Record<string, string>;
  remove(): Promise<void>;
}

export function workspace(cleanup: Cleanup, label: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `agentctl-bench-${label}-`));
  const specs = join(dir, 'specs');
  const state = join(dir, 'state');
  mkdirSync(specs, { recursive: true });
  const remove = cleanup.add(`folder ${dir}`, () => removeTree(dir));
  return {
    dir,
    specs,
    state,
    env: (socket) => ({
      AGENTCTL_SPECS: specs,
      AGENTCTL_STATE: state,
      AGENTCTL_TMUX_SOCKET: socket,
      AGENTCTL_LOG_FORMAT: 'json',
      AGENTCTL_HOST: 'benchhost',
    }),
    remove,
  };
}
