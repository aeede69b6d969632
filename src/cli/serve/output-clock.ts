// The output clock behind `logs --since` and `--timestamps`: where each agent's output ended, sampled every 10 s.
import type { Logger } from 'pino';
import type { AgentDeps } from '../../../controllers/agent/deps.js';
import { serialised } from '../../engine/periodic.js';
import { clockGroups } from '../../logs/clock-groups.js';
import { ClockStore } from '../../logs/clock-store.js';
import { sampleOutput } from '../../logs/sampler.js';

/** How often the output clock is sampled: the precision of `logs --since` and `--timestamps`. */
export const CLOCK_SAMPLE_MS = 10_000;

/** One tmux call and one append per agent that printed something, per sample. Started after the
 * first resync (the agents are known then); sampling again at once on each later call. */
export function outputClock(d: AgentDeps, stateDir: string, log: Logger): { sample(): void; stop(): void } {
  const clock = new ClockStore(stateDir);
  const sampleOnce = serialised(async () => {
    await sampleOutput(clock, clockGroups(d), Date.now).catch((err: Error) =>
      log.debug({ error: err.message }, 'output clock not sampled'),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    sample() {
      timer ??= setInterval(() => void sampleOnce(), CLOCK_SAMPLE_MS);
      void sampleOnce();
    },
    stop: () => clearInterval(timer),
  };
}
