import { defineConfig } from 'vitest/config';

// Unit and integration tests beside the code; browser tests live in e2e/ with their own config.
export default defineConfig({
  root: '.',
  test: {
    include: ['server/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
