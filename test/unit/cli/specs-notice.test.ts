// The specs-folder notice: said when the folder goes missing (or is missing at the start), and when it appears.
import { describe, expect, it } from 'vitest';
import { folderChange } from '../../../src/cli/specs-notice.js';

describe('folderChange', () => {
  it.each([
    [undefined, false, 'missing'],
    [undefined, true, null],
    [false, false, null],
    [false, true, 'appeared'],
    [true, true, null],
    [true, false, 'missing'],
  ] as const)('before %s, now %s → %s', (before, now, want) => expect(folderChange(before, now)).toBe(want));
});
