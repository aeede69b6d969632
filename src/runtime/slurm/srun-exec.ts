// An Executor whose commands run inside a running Slurm job (a step beside the agent, `srun --overlap`).
//
// With it the tmux pieces (client, observe, start, stop, capture, send-keys) work unchanged on a
// tmux server that lives in a job: the job's own (interactive) or an allocation's. tmux never
// starts a server from such a step (`-N`): a server started by a short step would die with the
// step on a cgroup cluster, or escape the job's tracking on a linuxproc one.
import type { ExecOptions, ExecResult, Executor, HostFiles, Machine } from '../../exec/executor.js';

export interface StepPlace {
  jobId: string;
  /** The node to run on (a job's first node); Slurm picks one when absent. */
  node?: string | null;
}

/** srun's options for one short task inside the job, holding no resources of its own. */
export function stepArgs(p: StepPlace, jobName = 'agentctl'): string[] {
  return [
    `--jobid=${p.jobId}`,
    '--overlap',
    '--nodes=1',
    '--ntasks=1',
    '--mem=0',
    '--quiet',
    `--job-name=${jobName}`,
    ...(p.node ? [`--nodelist=${p.node}`] : []),
  ];
}

/** The argv of `file args` inside the job. tmux gets `-N` and no TMUX/TMUX_TMPDIR of the
 * caller, so it finds the job's server in tmux's own socket folder. */
export function stepCommand(file: string, args: readonly string[]): string[] {
  return file === 'tmux' ? ['env', '-u', 'TMUX', '-u', 'TMUX_TMPDIR', 'tmux', '-N', ...args] : [file, ...args];
}

export function srunExecutor(outer: Executor, place: StepPlace): Executor {
  return {
    target: `${outer.target === 'local' ? '' : `${outer.target}:`}job ${place.jobId}`,
    run: (file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> =>
      outer.run('srun', [...stepArgs(place), ...stepCommand(file, args)], options),
    get spawned() {
      return outer.spawned;
    },
  };
}

/** The job as a machine: commands run in it, files are those of the machine that submits
 * (the run folder must be on a filesystem the nodes share, as for exit files). */
export function jobMachine(outer: Machine, place: StepPlace, files: HostFiles = outer.files): Machine {
  return { name: `slurm-job-${place.jobId}`, exec: srunExecutor(outer.exec, place), files, home: outer.home };
}
