// What preflight asks a host in one call, and what its answer means, each failure with a one-line fix (pure).

export interface PreflightCheck {
  name: 'ssh' | 'tmux' | 'slurm' | 'disk';
  ok: boolean;
  message: string;
  /** One line a person can act on; set when not ok. */
  fix?: string;
}

/** tmux 3.2 added `new-session -e`, which starts use. */
export const MIN_TMUX = { major: 3, minor: 2 };
export const DEFAULT_MIN_FREE_BYTES = 512 * 1024 * 1024;

/** Run with `/bin/sh -c SCRIPT preflight WORKDIR...`. Prints `tmux\t<tmux -V>`, `slurm\t<missing
 * tools>`, and per workdir `disk\t<index>\t<KiB available>\t<folder measured>`: the workdir, or
 * its nearest existing parent (agents' workdirs are created at their first start). */
export const PREFLIGHT_SCRIPT = [
  'v=$(command -v tmux >/dev/null 2>&1 && tmux -V 2>&1)',
  'printf \'tmux\\t%s\\n\' "$v"',
  's=\'\'; for c in sbatch squeue scancel; do command -v "$c" >/dev/null 2>&1 || s="$s $c"; done',
  'printf \'slurm\\t%s\\n\' "$s"',
  'avail() { set -- $(df -Pk -- "$1" 2>/dev/null | tail -n 1); printf "%s" "$4"; }',
  'i=0',
  'for d do',
  '  p=$d',
  '  while [ ! -d "$p" ]; do case $p in */*) p=${p%/*}; [ -z "$p" ] && p=/;; *) p=/;; esac; done',
  '  printf \'disk\\t%s\\t%s\\t%s\\n\' "$i" "$(avail "$p")" "$p"',
  '  i=$((i+1))',
  'done',
].join('\n');

export interface PreflightAnswer {
  /** `tmux -V` output; empty when tmux is not on PATH. */
  tmux: string;
  slurmMissing: string[];
  disks: { index: number; availableBytes: number | null; measured: string }[];
}

export function parsePreflight(stdout: string): PreflightAnswer {
  const answer: PreflightAnswer = { tmux: '', slurmMissing: [], disks: [] };
  for (const line of stdout.split('\n')) {
    const [kind, a = '', b = '', ...rest] = line.split('\t');
    if (kind === 'tmux') answer.tmux = a.trim();
    else if (kind === 'slurm') answer.slurmMissing = a.split(' ').filter(Boolean);
    else if (kind === 'disk' && /^\d+$/.test(a)) {
      answer.disks.push({
        index: Number(a),
        availableBytes: /^\d+$/.test(b) ? Number(b) * 1024 : null,
        measured: rest.join('\t'),
      });
    }
  }
  return answer;
}

/** `tmux 3.3a` → {3, 3}; `tmux next-3.4` → {3, 4}; null when no version can be read. */
export function tmuxVersion(text: string): { major: number; minor: number } | null {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export interface CheckOptions {
  host: string;
  /** Workdirs as given to the script, in order. */
  workdirs: readonly string[];
  needTmux: boolean;
  needSlurm: boolean;
  minFreeBytes?: number;
}

const mb = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))} MB`;

export function preflightChecks(answer: PreflightAnswer, o: CheckOptions): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  if (o.needTmux) checks.push(tmuxCheck(answer.tmux, o.host));
  if (o.needSlurm) {
    const missing = answer.slurmMissing;
    checks.push(
      missing.length === 0
        ? { name: 'slurm', ok: true, message: 'sbatch, squeue and scancel found' }
        : {
            name: 'slurm',
            ok: false,
            message: `${missing.join(', ')} not found on ${o.host}`,
            fix: `install the Slurm client tools on ${o.host}, or put ${missing.join(', ')} on the PATH of ssh commands there`,
          },
    );
  }
  const min = o.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const seen = new Set<string>();
  for (const d of answer.disks) {
    const workdir = o.workdirs[d.index] ?? d.measured;
    if (seen.has(d.measured)) continue;
    seen.add(d.measured);
    if (d.availableBytes === null) {
      checks.push({
        name: 'disk',
        ok: false,
        message: `cannot measure free space for ${workdir} on ${o.host}`,
        fix: `check that df -Pk ${d.measured} works on ${o.host}`,
      });
    } else if (d.availableBytes < min) {
      checks.push({
        name: 'disk',
        ok: false,
        message: `only ${mb(d.availableBytes)} free for ${workdir} on ${o.host} (at least ${mb(min)} needed)`,
        fix: `free disk space on ${o.host} under ${d.measured}`,
      });
    } else checks.push({ name: 'disk', ok: true, message: `${mb(d.availableBytes)} free for ${workdir}` });
  }
  return checks;
}

function tmuxCheck(text: string, host: string): PreflightCheck {
  if (text === '')
    return {
      name: 'tmux',
      ok: false,
      message: `tmux not found on ${host}`,
      fix: `install tmux on ${host} (3.2 or newer), or put it on the PATH of ssh commands there`,
    };
  const v = tmuxVersion(text);
  if (v && (v.major < MIN_TMUX.major || (v.major === MIN_TMUX.major && v.minor < MIN_TMUX.minor))) {
    return {
      name: 'tmux',
      ok: false,
      message: `${text} on ${host} is too old (3.2 or newer needed)`,
      fix: `upgrade tmux on ${host} to 3.2 or newer`,
    };
  }
  return { name: 'tmux', ok: true, message: text };
}
