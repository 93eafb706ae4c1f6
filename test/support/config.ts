import { productionHashing, type Config } from '../../src/config.ts';

/** Test settings, apart from test/support/app.ts so that child processes (serve.ts) need no supertest. */

/** A fixed, readable "now" for integration tests: Tuesday 16 March 2027, 09.00 in Stockholm. */
export const TEST_NOW = '2027-03-16T08:00:00.000Z';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    port: 0,
    database: { kind: 'sqlite', file: ':memory:' },
    baseUrl: 'http://teknikprao.test',
    secureCookies: false,
    sessionSecret: 'test-secret-that-is-long-enough-for-hmac-0123456789',
    smtpUrl: undefined,
    mailFrom: 'Teknikprao <no-reply@teknikprao.test>',
    demoData: false,
    admin: undefined,
    logLevel: 'silent',
    sessionIdleMinutes: 120,
    sessionMaxHours: 12,
    trustProxy: undefined,
    // Cheap argon2id for speed; production uses productionHashing (checked in a unit test).
    passwordHashing: { ...productionHashing, memoryCost: 1024, timeCost: 1 },
    lateCancellationHours: 72,
    bookingUnsafeControl: false,
    ...overrides,
  };
}
