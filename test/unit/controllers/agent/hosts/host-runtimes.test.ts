// The Hosts' runtimes change only on refresh(): looking one up never makes, remakes or closes one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HostRuntimes } from '../../../../../controllers/agent/hosts/host-runtimes.js';
import type { AssembledHost } from '../../../../../src/spec/assemble-hosts.js';
import { HostDocument } from '../../../../../src/spec/schema.js';
import { removeTree } from '../../../../helpers/remove-tree.js';

const hostOf = (name: string, address: string): AssembledHost => ({
  name,
  file: `${name}.yaml`,
  line: 1,
  document: HostDocument.parse({
    apiVersion: 'agentctl/v1',
    kind: 'Host',
    metadata: { name },
    spec: { ssh: { host: address } },
  }),
});

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => removeTree(d)));

function fleet(initial: Map<string, AssembledHost>) {
  let hosts: ReadonlyMap<string, AssembledHost> = initial;
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-hr-'));
  dirs.push(dir);
  const rt = new HostRuntimes(new Map(), {
    hosts: () => hosts,
    agents: () => [],
    sshDir: join(dir, 'ssh'),
    controllerHome: dir,
    defaultSocket: 'agentctl-hr-test',
    owner: 'test',
    log: pino({ level: 'silent' }),
  });
  return { rt, set: (h: ReadonlyMap<string, AssembledHost>) => (hosts = h) };
}

describe('HostRuntimes', () => {
  it('reads see the Hosts as of the last refresh; refresh makes, remakes and drops', async () => {
    const { rt, set } = fleet(new Map([['gpu1', hostOf('gpu1', '127.0.0.250')]]));
    const replaced: string[][] = [];
    rt.onReplaced((k) => replaced.push(k));
    expect(rt.names()).toEqual(['gpu1']);
    const first = rt.get('tmux@gpu1');

    set(new Map([['gpu2', hostOf('gpu2', '127.0.0.251')]]));
    // No refresh yet: every read is as before, and nothing was retired.
    expect([rt.has('tmux@gpu1'), rt.has('tmux@gpu2'), rt.names()]).toEqual([true, false, ['gpu1']]);
    expect(rt.get('tmux@gpu1')).toBe(first);
    expect(replaced).toEqual([]);

    rt.refresh();
    expect([rt.has('tmux@gpu1'), rt.has('tmux@gpu2'), rt.names()]).toEqual([false, true, ['gpu2']]);
    expect(replaced.flat()).toContain('tmux@gpu1');
    // The same map again: nothing to do.
    rt.refresh();
    expect(replaced).toHaveLength(1);
    await rt.close();
  });
});
