// The incremental transcript reader on real files: offsets, partial lines, truncation, new sessions.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INITIAL_TAIL_BYTES, TranscriptReader, transcriptDirs } from '../../../src/claude/transcript.js';
import { localTranscriptFiles } from '../../../src/claude/transcript-files.js';
import { assistantLine, compactBoundaryLine, userLine } from '../../helpers/transcript-lines.js';
import { removeTree } from '../../helpers/remove-tree.js';

let home: string;
let dir: string;
const WORKDIR = '/home/agent/work/researcher';

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'agentctl-transcript-'));
  dir = join(home, '.claude', 'projects', '-home-agent-work-researcher');
  mkdirSync(dir, { recursive: true });
});
afterEach(() => removeTree(home));

const reader = () => new TranscriptReader(localTranscriptFiles, transcriptDirs(WORKDIR, home));
const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);

describe('TranscriptReader', () => {
  it('finds the folder Claude Code uses for the workdir, and reports none when there is no transcript', async () => {
    expect(transcriptDirs(WORKDIR, home)).toEqual([dir]);
    expect(await reader().poll('opus')).toEqual({ source: 'none', model: 'opus' });
  });

  it('reads only what was appended since the last poll', async () => {
    const r = reader();
    writeFileSync(join(dir, 's1.jsonl'), `${userLine('hi')}\n${assistantLine(40_000)}\n`);
    expect(await r.poll()).toMatchObject({ source: 'transcript', contextPercent: 20 });
    const first = r.bytesRead;
    const more = `${userLine('again')}\n${assistantLine(120_000)}\n`;
    appendFileSync(join(dir, 's1.jsonl'), more);
    expect(await r.poll()).toMatchObject({ contextPercent: 60 });
    expect(r.bytesRead - first).toBe(Buffer.byteLength(more));
    // Nothing new: nothing read.
    await r.poll();
    expect(r.bytesRead - first).toBe(Buffer.byteLength(more));
  });

  it('keeps a last line without its newline until the rest arrives, even split inside a UTF-8 character', async () => {
    const r = reader();
    const line = assistantLine(150_000).replace('Done.', 'Fertig – über 🎉');
    const bytes = Buffer.from(`${line}\n`);
    const emoji = bytes.indexOf(Buffer.from('🎉'));
    writeFileSync(join(dir, 's1.jsonl'), `${assistantLine(10_000)}\n`);
    appendFileSync(join(dir, 's1.jsonl'), bytes.subarray(0, emoji + 2));
    expect(await r.poll()).toMatchObject({ contextPercent: 5 });
    appendFileSync(join(dir, 's1.jsonl'), bytes.subarray(emoji + 2));
    const st = await r.poll();
    expect(st).toMatchObject({ contextPercent: 75 });
  });

  it('a truncated or replaced-and-shorter file is read again from its start', async () => {
    const r = reader();
    const path = join(dir, 's1.jsonl');
    writeFileSync(path, `${assistantLine(150_000)}\n${assistantLine(160_000)}\n`);
    expect(await r.poll()).toMatchObject({ contextPercent: 80 });
    truncateSync(path, 0);
    writeFileSync(path, `${assistantLine(20_000)}\n`);
    expect(await r.poll()).toMatchObject({ contextPercent: 10 });
  });

  it('follows a newer session file, and starts its status afresh', async () => {
    const r = reader();
    writeFileSync(join(dir, 'old.jsonl'), `${assistantLine(180_000)}\n`);
    at('old.jsonl', 1_000);
    expect(await r.poll()).toMatchObject({ contextPercent: 90 });
    writeFileSync(join(dir, 'new.jsonl'), `${userLine('fresh', '2026-11-29T12:00:00.000Z', 'new-session')}\n`);
    at('new.jsonl', 2_000);
    const st = await r.poll();
    expect(r.file).toBe(join(dir, 'new.jsonl'));
    expect(st).toMatchObject({ sessionId: 'new-session' });
    expect(st.contextPercent).toBeUndefined();
    // An empty newer file is not a transcript yet.
    writeFileSync(join(dir, 'empty.jsonl'), '');
    at('empty.jsonl', 3_000);
    await r.poll();
    expect(r.file).toBe(join(dir, 'new.jsonl'));
  });

  it('a compaction clears the percentage until the next turn', async () => {
    const r = reader();
    writeFileSync(join(dir, 's.jsonl'), `${assistantLine(175_000)}\n`);
    expect((await r.poll()).contextPercent).toBe(87.5);
    appendFileSync(join(dir, 's.jsonl'), `${compactBoundaryLine()}\n`);
    expect((await r.poll()).contextPercent).toBeUndefined();
    appendFileSync(join(dir, 's.jsonl'), `${assistantLine(9_000)}\n`);
    expect((await r.poll()).contextPercent).toBe(4.5);
  });

  it('a long transcript seen for the first time is read from its tail, not whole', async () => {
    const path = join(dir, 'long.jsonl');
    const filler = `${userLine('x'.repeat(10_000))}\n`;
    writeFileSync(path, filler.repeat(Math.ceil((4 * INITIAL_TAIL_BYTES) / filler.length)));
    appendFileSync(path, `${assistantLine(100_000)}\n${userLine('tail')}\n`);
    const r = reader();
    expect(await r.poll()).toMatchObject({ contextPercent: 50 });
    expect(r.bytesRead).toBeLessThanOrEqual(INITIAL_TAIL_BYTES);
  });

  it('widens the first read backwards when the tail holds no turn', async () => {
    const path = join(dir, 'long.jsonl');
    const filler = `${userLine('y'.repeat(10_000))}\n`;
    writeFileSync(path, `${assistantLine(30_000)}\n`);
    appendFileSync(path, filler.repeat(Math.ceil((2 * INITIAL_TAIL_BYTES) / filler.length)));
    expect(await reader().poll()).toMatchObject({ contextPercent: 15 });
  });

  it('a transcript that disappears is forgotten', async () => {
    const r = reader();
    writeFileSync(join(dir, 's.jsonl'), `${assistantLine(30_000)}\n`);
    await r.poll();
    rmSync(join(dir, 's.jsonl'));
    expect(await r.poll()).toEqual({ source: 'none' });
    expect(r.file).toBeUndefined();
  });
});
