import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core drives the system Chromium (/usr/bin/chromium).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
