// The README's fenced code blocks, each with its language, line and the HTML comment right before
// it (`<!-- fragment: why -->`, `<!-- not run: why -->`, `<!-- sandbox -->`), for the docs tests.

export interface Block {
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  text: string;
  /** The HTML comment on the line before the fence (without `<!--`/`-->`), or null. */
  mark: string | null;
}

export function readmeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const before = (i > 0 ? lines[i - 1]! : '').trim();
    const mark = /^<!--\s*(.*?)\s*-->$/.exec(before)?.[1] ?? null;
    blocks.push({ lang: open[1]!, line: i + 1, text: lines.slice(i + 1, end).join('\n'), mark });
    i = end;
  }
  return blocks;
}

/** The commands of a shell block: comments and continuation lines joined, one entry per command. */
export function shellCommands(text: string): string[] {
  const joined = text.replace(/\s*\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}

/** Each `agentctl ...` invocation in a command line (after `npx`, `&&`, `;`, `|`, `$(`), as words
 * up to the next operator. */
export function agentctlInvocations(command: string): string[][] {
  const out: string[][] = [];
  const re = /(?:^|&&|;|\||\$\(|\bnpx|\bexec)\s*agentctl((?:\s+(?![|;&>]|2>|\$\(|\)|#)[^\s;&|)]+)*)/g;
  let m;
  while ((m = re.exec(command))) out.push(m[1]!.trim().split(/\s+/).filter(Boolean));
  return out;
}
