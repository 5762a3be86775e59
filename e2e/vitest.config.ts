import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core driving Debian's /usr/bin/chromium against a real server.
export default defineConfig({
  root: '.',
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
