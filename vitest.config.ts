import { defineConfig } from 'vitest/config';

// Unit and integration tests. Each integration test file builds its own database with the
// real migrations (SQLite temp file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
