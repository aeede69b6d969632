// Label selectors: kubectl's syntax parsed, matched against labels, and bad input named with its position.
import { describe, expect, it } from 'vitest';
import { matches, parseSelector } from '../../../src/cli/selector.js';

const labels = { team: 'ml', tier: 'gpu', 'example.org/owner': 'ana', empty: '' };

describe('parseSelector + matches', () => {
  it.each([
    ['team=ml', true],
    ['team==ml', true],
    ['team=web', false],
    ['team!=web', true],
    ['team!=ml', false],
    ['missing!=x', true],
    ['team', true],
    ['missing', false],
    ['!missing', true],
    ['!team', false],
    ['team in (ml, web)', true],
    ['team in (web,db)', false],
    ['team notin (web,db)', true],
    ['missing notin (web)', true],
    ['team=ml,tier=gpu', true],
    ['team=ml, tier=cpu', false],
    ['team in (ml,web),!missing,tier', true],
    ['example.org/owner=ana', true],
    ['empty=', true],
    ['', true],
  ])('%j → %s', (sel, want) => expect(matches(parseSelector(sel), labels)).toBe(want));

  it('parses to requirements', () => {
    expect(parseSelector('a=b,c!=d,e,!f,g in (x,y)')).toEqual([
      { key: 'a', op: 'in', values: ['b'] },
      { key: 'c', op: 'notin', values: ['d'] },
      { key: 'e', op: 'exists' },
      { key: 'f', op: 'absent' },
      { key: 'g', op: 'in', values: ['x', 'y'] },
    ]);
  });

  it.each([
    ['a=b,,c', 'invalid label selector "a=b,,c" at character 5: an empty requirement'],
    ['=b', 'invalid label selector "=b" at character 1: a label key is missing'],
    ['a in ()', 'invalid label selector "a in ()" at character 7: a set needs at least one value'],
    ['a in x', 'invalid label selector "a in x" at character 1: a set is written `key in (a,b)`'],
    ['a=b c', 'invalid label selector "a=b c" at character 3: "b c" is not a label value'],
    ['!', 'invalid label selector "!" at character 2: a label key is missing'],
  ])('%j is refused: %s', (sel, message) => expect(() => parseSelector(sel)).toThrow(message));
});
