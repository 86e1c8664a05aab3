import { defineConfig } from 'vitest/config';
import { NumericOrderSequencer } from './lib/run/sequencer.ts';

// Three projects:
// - unit:   fast tests of lib/ (pure functions, recorded responses); no cluster.
// - integration: our own tests against the lab's real components (the lab being the test bed),
//           including every suite's negative control; one file at a time because they share one
//           machine-sized cluster.
// - suites: the conformance suites themselves, one file at a time in numeric order (NN-name),
//           normally started through `streamcert run`, which sets up the run context.
export default defineConfig({
  test: {
    // One machine-sized cluster: files never run side by side (unit files are fast enough serially).
    fileParallelism: false,
    sequence: { shuffle: false, sequencer: NumericOrderSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts'],
          exclude: ['lib/**/*.integration.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['lib/**/*.integration.test.ts'],
          // Tests a file declares concurrent (the negative controls, each a run in namespaces of its
          // own) run two at a time: more would starve the lab's JVMs on a 2-core machine.
          maxConcurrency: 2,
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
        },
      },
      {
        test: {
          name: 'suites',
          include: ['suites/*.test.ts'],
          // Worker threads, not forked processes: a Ctrl-C or a CI cancellation signals the whole
          // process group, and a forked worker killed by it takes vitest down before the run can
          // remove what it created. Threads get no signals; `streamcert run` handles them.
          pool: 'threads',
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
          setupFiles: ['allure-vitest/setup'],
        },
      },
    ],
  },
});
