import { defineConfig } from 'vitest/config';

// One runner for unit, integration and e2e tests; each integration file starts its own
// server (random port, embedded store), so files may run in parallel.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
