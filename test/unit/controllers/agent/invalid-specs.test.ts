// An unreadable spec (symlink out, FIFO, duplicate name) is SpecInvalid with its file and reason, never "removed".
import { describe, expect, it } from 'vitest';
import { invalidSpecOf } from '../../../../controllers/agent/invalid-specs.js';
import type { DesiredAgent, SpecSet } from '../../../../src/spec/load.js';

const specs = (s: Partial<SpecSet>): Pick<SpecSet, 'agents' | 'invalidNames' | 'invalidFiles' | 'errors'> => ({
  agents: new Map(),
  invalidNames: new Map(),
  invalidFiles: new Set(),
  errors: [],
  ...s,
});

const link = { file: '/s/a.yaml', line: 1, col: 1, path: '', message: 'symlink leads outside the specs folder' };
const dup = {
  file: '/s/c2.yaml',
  line: 4,
  col: 9,
  path: 'metadata.name',
  message: 'duplicate agent name "c" (also at /s/c.yaml:1)',
};

describe('invalidSpecOf', () => {
  it.each([
    {
      case: 'its recorded file fails to load and names no agent (symlink out of the folder)',
      specs: specs({ invalidFiles: new Set(['/s/a.yaml']), errors: [link] }),
      source: '/s/a.yaml',
      want: { file: '/s/a.yaml', message: '/s/a.yaml:1:1: symlink leads outside the specs folder' },
    },
    {
      case: 'a file that fails to load names it (duplicate name)',
      specs: specs({
        invalidNames: new Map([['a', '/s/c2.yaml']]),
        invalidFiles: new Set(['/s/c2.yaml']),
        errors: [dup],
      }),
      source: '/s/c.yaml',
      want: {
        file: '/s/c2.yaml',
        message: '/s/c2.yaml:4:9: metadata.name: duplicate agent name "c" (also at /s/c.yaml:1)',
      },
    },
    {
      case: 'its file is simply gone: removed, not invalid',
      specs: specs({ invalidFiles: new Set(['/s/other.yaml']) }),
      source: '/s/a.yaml',
      want: undefined,
    },
    {
      case: 'its file is invalid but it is valid elsewhere now (moved to another file)',
      specs: specs({ agents: new Map([['a', {} as DesiredAgent]]), invalidFiles: new Set(['/s/a.yaml']) }),
      source: '/s/a.yaml',
      want: undefined,
    },
    {
      case: 'no record and no name read: nothing to say',
      specs: specs({ invalidFiles: new Set(['/s/a.yaml']), errors: [link] }),
      source: undefined,
      want: undefined,
    },
  ])('$case', ({ specs: s, source, want }) => {
    expect(invalidSpecOf(s, 'a', source === undefined ? undefined : { source })).toEqual(want);
  });
});
