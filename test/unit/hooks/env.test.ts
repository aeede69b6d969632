// A hook's environment: the older tool's SCITEX_AGENT_CONTAINER_* variables for imported specs
// only, checked on the map and in a real hook process of an imported spec.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseDocument } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convertOldSpecs } from '../../../src/import/convert.js';
import { hookEnv, IMPORTED_EXTENSION, olderToolHookEnv } from '../../../src/hooks/env.js';
import { ProcessHookRunner } from '../../../src/hooks/runner.js';
import type { HookContext } from '../../../src/hooks/types.js';
import { AgentSpecBody } from '../../../src/spec/schema.js';
import { removeTree } from '../../helpers/remove-tree.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-hook-env-'));
});
afterEach(() => removeTree(dir));

function ctx(spec: Record<string, unknown>, env: Record<string, string> = {}): HookContext {
  return {
    name: 'lead',
    hook: 'preStart',
    spec: AgentSpecBody.parse(spec),
    specFile: '/specs/lead.yaml',
    specHash: 'h',
    workdir: dir,
    env,
    secrets: [],
  };
}

describe('olderToolHookEnv', () => {
  it('gives an imported spec the older tool variables, named after the agent and its spec file', () => {
    const c = ctx({ command: ['true'], extensions: { [IMPORTED_EXTENSION]: { importedFrom: 'lead.yaml' } } });
    expect(olderToolHookEnv(c)).toEqual({
      SCITEX_AGENT_CONTAINER_NAME: 'lead',
      SCITEX_AGENT_CONTAINER_SCREEN_NAME: 'lead',
      SCITEX_AGENT_CONTAINER_CONFIG_PATH: '/specs/lead.yaml',
    });
  });

  it.each([{ extensions: {} }, { extensions: { [IMPORTED_EXTENSION]: 'yes' } }, { extensions: { other: {} } }])(
    'nothing for a spec without the mark: %j',
    (extra) => {
      expect(olderToolHookEnv(ctx({ command: ['true'], ...extra }))).toEqual({});
    },
  );

  it('the AGENTCTL_* variables still win over the agent env; the older ones over the agent env too', () => {
    const c = ctx(
      { command: ['true'], extensions: { [IMPORTED_EXTENSION]: {} } },
      { AGENTCTL_AGENT: 'spoof', SCITEX_AGENT_CONTAINER_NAME: 'spoof', OWN: '1' },
    );
    expect(hookEnv(c)).toMatchObject({ AGENTCTL_AGENT: 'lead', SCITEX_AGENT_CONTAINER_NAME: 'lead', OWN: '1' });
  });
});

describe('a hook of an imported spec, run for real', () => {
  it('reads $SCITEX_AGENT_CONTAINER_NAME and _CONFIG_PATH as it did under the older tool', async () => {
    const out = join(dir, 'seen');
    const older = JSON.stringify({
      apiVersion: 'scitex-agent-container/v2',
      kind: 'Agent',
      metadata: { name: 'lead' },
      spec: {
        model: 'opus',
        hooks: {
          pre_start: [
            `echo "$SCITEX_AGENT_CONTAINER_NAME|$SCITEX_AGENT_CONTAINER_SCREEN_NAME|$SCITEX_AGENT_CONTAINER_CONFIG_PATH" > ${out}`,
          ],
        },
      },
    });
    const converted = parseDocument(convertOldSpecs(older, 'lead.yaml').yaml).toJS() as {
      spec: Record<string, unknown>;
    };
    const c = ctx(converted.spec, { PATH: process.env.PATH ?? '/usr/bin:/bin' });
    const outcomes = await new ProcessHookRunner(pino({ level: 'silent' })).run(c);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    expect(readFileSync(out, 'utf8')).toBe('lead|lead|/specs/lead.yaml\n');
  });
});
