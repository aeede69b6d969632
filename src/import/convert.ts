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
 * metadata.name is missing (v3 specs have none: the folder of `NAME/spec.yaml` is the name). Throws ImportFormatError when any document is not of a known format:
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
    const { value, notes } = convertDocument(isMap(d.value) ? d.value : {}, {
      file: shownName(file),
      fallbackName: agentNameOf(file),
      fallbackFrom: baseName(file) === 'spec' ? 'folder' : 'file',
      apiVersion: r.apiVersion,
    });
    const valid = ensureValid(value, notes);
    names.push(valid.metadata.name);
    outputs.push(
      emitDocument(
        valid,
        `converted by agentctl import from ${shownName(file)} (${where ? `${where}; ` : ''}${r.apiVersion})`,
        notes.items,
      ),
    );
  }
  return { yaml: outputs.join('---\n'), names };
}

/** The older tool named an agent after its folder (`NAME/spec.yaml`, v3) or its file
 * (`NAME/NAME.yaml`, `NAME.yaml`). */
function agentNameOf(file: string): string {
  const parts = file.split('/').filter(Boolean);
  const stem = baseName(file);
  const folder = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return stem === 'spec' && folder ? folder : stem;
}

/** The file's name without folders, except the folder that names a v3 `NAME/spec.yaml`. */
function shownName(file: string): string {
  const name = agentNameOf(file);
  return baseName(file) === 'spec' && name !== 'spec' ? `${name}/${baseName(file, true)}` : baseName(file, true);
}

function baseName(file: string, keepExtension = false): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return keepExtension ? base : base.replace(/\.ya?ml$/i, '');
}
