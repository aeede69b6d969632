// agentctl import's converter as a whole: formats it knows and refuses, documents, names, the mark.
import { describe, expect, it } from 'vitest';
import { convertOldSpecs } from '../../../src/import/convert.js';
import { ImportFormatError } from '../../../src/import/errors.js';
import { IMPORTED_EXTENSION as MARK_IN_IMPORT } from '../../../src/import/map-extensions.js';
import { sanitiseName } from '../../../src/import/map-metadata.js';
import { IMPORTED_EXTENSION as MARK_IN_HOOKS } from '../../../src/hooks/env.js';
import { convertOne, fixture, old, validate } from '../../helpers/import.js';

describe('import: formats', () => {
  it.each(['cld-agent/v1', 'scitex-agent-container/v2', 'scitex-agent-container/v3'])('accepts %s', (apiVersion) => {
    expect(convertOne({ model: 'opus' }, 'a', apiVersion).doc.spec.claude?.model).toBe('opus');
  });

  it('refuses a file that is not of an old format, naming it', () => {
    expect(() => convertOldSpecs(fixture('not-old.yaml'), 'specs/not-old.yaml')).toThrow(ImportFormatError);
    expect(() => convertOldSpecs(fixture('not-old.yaml'), 'specs/not-old.yaml')).toThrow(
      /^specs\/not-old\.yaml: apiVersion "agentctl\/v1" .*already an agentctl spec/,
    );
    expect(() => convertOldSpecs(fixture('broken.yaml'), 'broken.yaml')).toThrow(/^broken\.yaml: line 3:1: YAML/);
    expect(() => convertOldSpecs('', 'empty.yaml')).toThrow(/^empty\.yaml: holds no YAML documents/);
    expect(() => convertOldSpecs('- a\n- b\n', 'list.yaml')).toThrow(/^list\.yaml: not a YAML map/);
    expect(() => convertOldSpecs('apiVersion: cld-agent/v1\nkind: Fleet\n', 'fleet.yaml')).toThrow(
      /kind "Fleet" is not an agent/,
    );
    expect(() => convertOldSpecs('apiVersion: scitex-agent-container/v3\nkind: AgentProxy\n', 'p.yaml')).toThrow(
      /AgentProxy .* has no agentctl equivalent/,
    );
    expect(() => convertOldSpecs('apiVersion: scitex-agent-container/v4\n', 'v4.yaml')).toThrow(
      /is not one of cld-agent\/v1, scitex-agent-container\/v2, scitex-agent-container\/v3/,
    );
  });

  it('refuses a file whose second document is not of an old format, naming the document', () => {
    const mixed = `${old({ model: 'opus' })}\n---\n${fixture('not-old.yaml')}`;
    expect(() => convertOldSpecs(mixed, 'mixed.yaml')).toThrow(/^mixed\.yaml: document 2, line 3: apiVersion/);
  });

  it('converts several documents of one file, separated by ---', () => {
    const { yaml, names } = convertOldSpecs(fixture('scitex-fleet.yaml'), 'scitex-fleet.yaml');
    expect(names).toEqual(['orchestrator-main', 'notes-keeper']);
    expect(yaml.match(/^---$/gm)).toHaveLength(1);
    expect(validate(yaml).map((d) => d.metadata.name)).toEqual(names);
  });
});

describe('import: names', () => {
  it('sanitises names to the agent name pattern, with a comment', () => {
    expect(sanitiseName('Research_Bot')).toBe('research-bot');
    expect(sanitiseName('--x--')).toBe('x');
    expect(sanitiseName('a'.repeat(70))).toBe('a'.repeat(63));
    expect(sanitiseName('___')).toBe('agent');
    const { yaml, doc } = convertOne({}, 'My Agent!');
    expect(doc.metadata.name).toBe('my-agent');
    expect(yaml).toMatch(
      /# metadata.name "My Agent!" is not a valid agent name: renamed to my-agent\n\s+name: my-agent/,
    );
  });

  it('names an agent without a name after its file, or (v3 NAME/spec.yaml) its folder', () => {
    const v1 = convertOldSpecs('apiVersion: cld-agent/v1\nspec: {model: opus}\n', '/x/Night_Watch.yml').yaml;
    expect(validate(v1)[0]?.metadata.name).toBe('night-watch');
    expect(v1).toContain('# metadata.name is missing: named after the file (night-watch)');
    const v3 = convertOldSpecs(
      'apiVersion: scitex-agent-container/v3\nkind: Agent\nspec: {claude: {model: opus}}\n',
      '/home/u/agents/proj-lead/spec.yaml',
    ).yaml;
    expect(validate(v3)[0]?.metadata.name).toBe('proj-lead');
    expect(v3).toContain('# converted by agentctl import from proj-lead/spec.yaml (scitex-agent-container/v3)');
    expect(v3).toContain('# metadata.name is missing: named after the folder (proj-lead)');
  });
});

describe('import: the mark on every imported spec', () => {
  it('records where the spec came from under extensions, with the key the hook runner looks for', () => {
    expect(MARK_IN_IMPORT).toBe(MARK_IN_HOOKS);
    const { doc } = convertOne({ model: 'opus' }, 'a', 'scitex-agent-container/v2');
    expect(doc.spec.extensions).toEqual({
      [MARK_IN_IMPORT]: { importedFrom: 'sample.yaml', apiVersion: 'scitex-agent-container/v2' },
    });
  });

  it('keeps the older extensions, a2a-card and a2a beside it; a switched-off a2a is dropped', () => {
    const { doc } = convertOne({ extensions: { x: 1 }, 'a2a-card': { name: 'n' }, a2a: { port: 9000 } });
    expect(doc.spec.extensions).toMatchObject({ x: 1, 'a2a-card': { name: 'n' }, a2a: { port: 9000 } });
    expect(convertOne({ a2a: { port: null } }).doc.spec.extensions).not.toHaveProperty('a2a');
  });
});
