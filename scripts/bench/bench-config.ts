import type { Config, DatabaseConfig } from '../../src/config.ts';
import { testConfig } from '../../test/support/config.ts';

/**
 * The settings of an app process under a benchmark: the tests' settings (so a new setting is
 * added in one place), but as deployed: production mode, with the view cache on.
 */
export function benchConfig(database: DatabaseConfig): Config {
  return testConfig({
    env: 'production',
    database,
    baseUrl: 'http://127.0.0.1',
    sessionSecret: 'bench-secret-that-is-long-enough-for-hmac-0123456789',
    mailFrom: 'Teknikprao <no-reply@teknikprao.invalid>',
  });
}
