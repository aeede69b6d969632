// agentctl import's converter (pure): YAML text of the older Python tool in, agentctl/v1 YAML out.
import { parseYaml } from '../spec/yaml-source.js';
import { convertDocument } from './convert-document.js';
import { emitDocument } from './emit.js';
import { ensureValid } from './ensure-valid.js';
import { ImportFormatError } from './errors.js';
import { recognise } from './old-format.js';
import { isMap } from './values.js';

export interface ConvertResult {
  /** YAML of every converted document, separated by `---`. */
  yaml: string;
  names: string[];
}

/** `file` names the input in messages and in the header comment, and names an agent whose
 * metadata.name is missing. Throws ImportFormatError when any document is not of a known format:
 * a half-converted file would be easy to commit by mistake. */
export function convertOldSpecs(text: string, file: string): ConvertResult {
  const parsed = parseYaml(file, text);
  const first = parsed.errors[0];
  if (first) throw new ImportFormatError(file, `line ${first.line}:${first.col}: ${first.message}`);
  if (parsed.documents.length === 0) throw new ImportFormatError(file, 'holds no YAML documents');
  const several = parsed.documents.length > 1;
  const outputs: string[] = [];
  const names: string[] = [];
  for (const d of parsed.documents) {
    const where = several ? `document ${d.index + 1}, line ${d.line}` : '';
    const r = recognise(d.value);
    if (!r.ok) throw new ImportFormatError(file, `${where ? `${where}: ` : ''}${r.reason}`);
    const { value, notes } = convertDocument(isMap(d.value) ? d.value : {}, baseName(file));
    const valid = ensureValid(value, notes);
    names.push(valid.metadata.name);
    outputs.push(emitDocument(valid, `converted by agentctl import from ${baseName(file, true)} (${where ? `${where}; ` : ''}${r.apiVersion})`, notes.items));
  }
  return { yaml: outputs.join('---\n'), names };
}

function baseName(file: string, keepExtension = false): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return keepExtension ? base : base.replace(/\.ya?ml$/i, '');
}
