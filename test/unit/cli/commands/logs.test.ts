// logs -f: which lines of a new capture are new.
import { describe, expect, it } from 'vitest';
import { newLines } from '../../../../src/cli/commands/logs.js';

describe('logs -f', () => {
  it.each([
    [['a', 'b'], ['a', 'b', 'c'], ['c']],
    [['a', 'b'], ['b', 'c', 'd'], ['c', 'd']],
    [['a'], ['x', 'y'], ['x', 'y']],
    [[], ['x'], ['x']],
    [['a', 'b'], ['a', 'b'], []],
  ])('%j then %j prints %j', (prev, next, want) => expect(newLines(prev, next)).toEqual(want));
});
