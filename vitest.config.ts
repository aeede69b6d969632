// Test configuration: unit tests of the pure parts, integration tests against real tmux and Slurm.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most integration files wait on real tmux, Slurm and sshd far more than they compute: four
    // files at a time on two cores keeps the suite near a quarter hour. Each file uses its own
    // tmux socket, sandbox, Slurm owner id and sshd users, so they never share state.
    maxWorkers: Number(process.env.AGENTCTL_TEST_WORKERS ?? 4),
    reporters: ['default'],
  },
});
