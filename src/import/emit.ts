// Writes a converted document as YAML with its notes as comments (yaml's Document API).
import { Document, isMap, isPair, isScalar, visit, type Node } from 'yaml';
import type { Note } from './notes.js';

export function emitDocument(value: unknown, header: string, notes: readonly Note[]): string {
  const doc = new Document(value);
  const top: string[] = [header];
  for (const note of notes) {
    const key = note.target ? keyNode(doc, note.target) : undefined;
    if (key) key.commentBefore = appendComment(key.commentBefore, note.text);
    else top.push(note.text);
  }
  doc.commentBefore = top.map((l) => ` ${l}`).join('\n');
  flowShortLists(doc);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Short lists of plain values (argv, flags) read best on one line, as DESIGN §2 writes them. */
const FLOW_MAX_CHARS = 72;

/** Hook lists hold shell commands: one per line is easier to read and to diff. */
const BLOCK_LISTS = new Set(['preStart', 'postStart', 'preStop', 'postStop', 'onCompact', 'onRestart']);

function flowShortLists(doc: Document): void {
  visit(doc, {
    Seq(_key, seq, path) {
      const parent = path[path.length - 1];
      if (isPair(parent) && isScalar(parent.key) && BLOCK_LISTS.has(String(parent.key.value))) return;
      const plain = seq.items.every((i) => isScalar(i) && !i.commentBefore && !i.comment);
      if (plain && JSON.stringify(seq.toJSON()).length <= FLOW_MAX_CHARS) seq.flow = true;
    },
  });
}

/** The key node of the pair at `path`, where a comment reads as being about that field. */
function keyNode(doc: Document, path: readonly string[]): Node | undefined {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of path) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
    if (!pair || !isScalar(pair.key)) return undefined;
    key = pair.key;
    node = pair.value;
  }
  return key;
}

function appendComment(existing: string | null | undefined, text: string): string {
  return existing ? `${existing}\n ${text}` : ` ${text}`;
}
