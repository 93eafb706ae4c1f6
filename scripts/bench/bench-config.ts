import { productionHashing, type Config, type DatabaseConfig } from '../../src/config.ts';

/**
 * The settings of an app process under a benchmark: as test/support's testConfig (not imported:
 * a script should not depend on test support), but with the production view cache on, as deployed.
 */
export function benchConfig(database: DatabaseConfig): Config {
  return {
    env: 'production',
    port: 0,
    database,
    baseUrl: 'http://127.0.0.1',
    secureCookies: false,
    sessionSecret: 'bench-secret-that-is-long-enough-for-hmac-0123456789',
    smtpUrl: undefined,
    mailFrom: 'Teknikprao <no-reply@teknikprao.invalid>',
    demoData: false,
    admin: undefined,
    logLevel: 'silent',
    sessionIdleMinutes: 120,
    sessionMaxHours: 12,
    trustProxy: undefined,
    passwordHashing: { ...productionHashing, memoryCost: 1024, timeCost: 1 },
    lateCancellationHours: 72,
    bookingUnsafeControl: false,
  };
}
