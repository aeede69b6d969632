// The interactive job's script: the pane branch, the tmux configuration, the TERM forwarding; valid sh.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { interactiveBody, jobSocket, PANE_ARG } from '../../../../src/runtime/slurm/interactive-script.js';
import {
  effectiveSlurm,
  jobComment,
  renderScript,
  sbatchArgs,
  type SubmitInput,
} from '../../../../src/runtime/slurm/script.js';

const base: SubmitInput = {
  name: 'claude-1',
  argv: ['claude', '--model', "it's $HOME; `x`"],
  slurm: { interactive: true },
  exitDir: '/state/run/slurm',
  hash: 'abc',
  owner: 'h:1',
  workdir: "/home/u/it's here",
  output: '/state/logs/slurm/claude-1.out',
};

describe('interactive batch script', () => {
  const script = renderScript(base);

  it('is valid sh', async () => {
    const r = await execa('sh', ['-n', '-c', script], { reject: false });
    expect(r.stderr).toBe('');
  });

  it('the pane branch enters the workdir and runs the argv as quoted words, recording the exit', () => {
    const pane = script.slice(script.indexOf(`if [ "\${1:-}" = ${PANE_ARG} ]; then`), script.indexOf('\nfi\n'));
    expect(pane).toContain(`cd -- '/home/u/it'\\''s here' || exit 126`);
    expect(pane).toContain(`'claude' '--model' 'it'\\''s $HOME; \`x\`'`);
    expect(pane).toContain('trap : TERM INT');
    expect(pane).toContain('mv -f "$exit_file.tmp" "$exit_file"');
  });

  it('runs tmux -D in the foreground on the job socket and waits for it; the session is named for the agent', () => {
    expect(script).toContain('sock="agentctl-$SLURM_JOB_ID"');
    expect(script).toMatch(/tmux -L "\$sock" -f "\$dir\/tmux.conf" -D <\/dev\/null & srv=\$!/);
    expect(script).toContain('until tmux -N -L "$sock" has-session -t =claude-1');
    expect(script).toContain('while kill -0 "$srv" 2>/dev/null; do wait "$srv"; done');
    expect(script).toContain(
      "new-session -d -s claude-1 -x 200 -y 50 /bin/sh -c '\\''exec /bin/sh \"$AGENTCTL_PANE_SCRIPT\" agentctl-pane'\\''",
    );
    expect(script.indexOf('new-session')).toBeLessThan(script.indexOf('set -s exit-empty on'));
  });

  it('TERM to the batch shell goes to the pane’s process group', () => {
    expect(script).toMatch(
      /trap 'p=\$\(tmux -L "\$sock" display-message -p -t =claude-1: .*kill -TERM "-\$p"' TERM INT/,
    );
  });

  it('no value of the agent outside the pane branch', () => {
    const outside = script.slice(script.indexOf('\nfi\n'));
    expect(outside).not.toContain('--model');
    expect(outside).not.toContain("it'\\''s here");
  });

  it('the job comment marks it tty; a batch job is not marked', () => {
    expect(sbatchArgs(base)).toContain(`--comment=${jobComment('abc', 'h:1', ['tty'])}`);
    expect(jobComment('abc', 'h:1', ['tty'])).toBe('agentctl:abc;tty;owner=h:1');
    expect(sbatchArgs({ ...base, slurm: {} })).toContain('--comment=agentctl:abc;owner=h:1');
    expect(renderScript({ ...base, slurm: {} })).not.toContain('tmux');
  });

  it('socket per job', () => {
    expect(jobSocket('123')).toBe('agentctl-123');
    expect(interactiveBody(base).join('\n')).toContain('agentctl-$SLURM_JOB_ID');
  });
});

describe('effectiveSlurm: interactive by default for claude agents', () => {
  it.each([
    [{ runtime: 'slurm', claude: {} }, { interactive: true }],
    [
      { runtime: 'slurm', claude: {}, slurm: { interactive: false, partition: 'p' } },
      { interactive: false, partition: 'p' },
    ],
    [{ runtime: 'slurm' }, { interactive: false }],
    [{ runtime: 'slurm', slurm: { interactive: true } }, { interactive: true }],
    [{ runtime: 'tmux', claude: {} }, undefined],
  ])('%j → %j', (spec, want) => expect(effectiveSlurm(spec)).toEqual(want));
});
