import { defineConfig } from 'vitest/config';

// One runner for unit, integration and e2e tests; each integration file starts its own
// server (random port, embedded store), so files may run in parallel.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A browser waits on the server and the live feed; on a loaded 2-core CI machine that can
    // take a few seconds, more than vitest's default 1 s for expect.poll.
    expect: { poll: { timeout: 8_000 } },
    pool: 'forks',
    reporters: ['default'],
  },
});
