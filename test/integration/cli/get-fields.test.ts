// get -o json|yaml carries listen and extensions as the spec declares them (DESIGN §2), and claude for Claude agents.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { agentYaml } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

const fx = useTmuxSandbox();

describe('get: listen, extensions, claude', () => {
  it('shows them before any reconcile, in JSON and YAML alike', async () => {
    fx.sb.write(
      'a.yaml',
      agentYaml('a', ['sleep', '60'], {
        listen: [
          { port: 8080, name: 'http' },
          { port: 53, proto: 'udp' },
        ],
        extensions: { owner: { team: 'lab' }, tier: 2 },
      }),
    );
    fx.sb.write(
      'c.yaml',
      'apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: c}\nspec: {claude: {model: opus}, workdir: /tmp}\n',
    );
    const json = JSON.parse((await fx.sb.run(['get', '-o', 'json'])).stdout) as { items: Record<string, unknown>[] };
    const yaml = parse((await fx.sb.run(['get', '-o', 'yaml'])).stdout) as { items: Record<string, unknown>[] };
    expect(yaml).toEqual(json);
    const [a, c] = json.items;
    expect(a).toMatchObject({
      name: 'a',
      listen: [
        { port: 8080, proto: 'tcp', name: 'http' },
        { port: 53, proto: 'udp' },
      ],
      extensions: { owner: { team: 'lab' }, tier: 2 },
    });
    expect(a).not.toHaveProperty('claude');
    expect(c).toMatchObject({
      name: 'c',
      listen: [],
      extensions: {},
      claude: { model: 'opus', sessionId: null, contextPercent: null, lastActivity: null },
    });
  });
});
