// Located validation errors of spec.hosts, spec.failover and spec.handover (DESIGN §10.4).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/spec/assemble.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { parseYaml } from '../../../src/spec/yaml-source.js';

const hosts = ['h1', 'h2']
  .map((n) => `apiVersion: agentctl/v1\nkind: Host\nmetadata:\n  name: ${n}\nspec:\n  ssh: {host: ${n}.example.org}\n`)
  .join('---\n');
/** An agent whose spec lines start at line 6. */
const agent = (specLines: string): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: a\nspec:\n  command: [sleep, '60']\n${specLines}`;

function check(specLines: string): { errors: string[]; agents: string[] } {
  const r = assemble({
    files: [parseYaml('specs/hosts.yaml', hosts), parseYaml('specs/a.yaml', agent(specLines))],
    overlays: new Map(),
  });
  return { errors: r.errors.map(formatSpecError), agents: [...r.agents.keys()] };
}

describe('placement fields', () => {
  it.each([
    {
      case: 'a priority list of known Hosts',
      spec: '  hosts: [h1, h2]\n  failover: {after: 2m, failback: Auto}\n',
      errors: [],
    },
    {
      case: 'an unknown Host',
      spec: '  hosts: [h1, gpu9]\n',
      errors: [
        'specs/a.yaml:7:15: spec.hosts[1]: unknown Host "gpu9": no kind: Host document of that name in the specs folder',
      ],
    },
    {
      case: 'a Host listed twice',
      spec: '  hosts: [h1, h2, h1]\n',
      errors: ['specs/a.yaml:7:19: spec.hosts[2]: Host "h1" is listed twice (first at hosts[0])'],
    },
    {
      case: 'an empty list',
      spec: '  hosts: []\n',
      errors: ['specs/a.yaml:7:10: spec.hosts: hosts must name at least one Host (or use host: for one)'],
    },
    {
      case: 'host and hosts together',
      spec: '  host: h1\n  hosts: [h1, h2]\n',
      errors: ['specs/a.yaml:8:10: spec.hosts: use either host (one Host) or hosts (a priority list), not both'],
    },
    {
      case: 'failover without a list',
      spec: '  host: h1\n  failover: {after: 2m}\n',
      errors: ['specs/a.yaml:8:13: spec.failover: failover needs hosts: a priority list of at least two Hosts'],
    },
    {
      case: 'failover.after that is no duration',
      spec: '  hosts: [h1, h2]\n  failover: {after: soon}\n',
      errors: ['specs/a.yaml:8:21: spec.failover.after: a duration like 30s, 2m or 1h'],
    },
    {
      case: 'handover paths that climb out or are absolute',
      spec: '  hosts: [h1, h2]\n  handover: {paths: [notes.md, ../x, /etc/passwd]}\n',
      errors: [
        'specs/a.yaml:8:32: spec.handover.paths[1]: file path must not contain ".."',
        'specs/a.yaml:8:38: spec.handover.paths[2]: file path must be relative to the workdir',
      ],
    },
  ])('$case', ({ spec, errors }) => {
    const got = check(spec);
    expect(got.errors).toEqual(errors);
    // A file with an error is isolated: its agent is not among the valid ones (never moved by it).
    expect(got.agents).toEqual(errors.length === 0 ? ['a'] : []);
  });
});
