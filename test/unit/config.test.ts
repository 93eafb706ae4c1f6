import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl, productionHashing } from '../../src/config.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-config-'));
  dirs.push(dir);
  return path.join(dir, 'app.sqlite');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to port 3000, SQLite and Swedish demo-friendly settings', () => {
    const config = loadConfig({ DATABASE_URL: tempDb() });
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('sqlite');
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(false);
  });

  it('names PORT when it is not a port number', () => {
    expect(problemsOf({ PORT: 'eighty', DATABASE_URL: tempDb() }).join()).toMatch(/^PORT: /);
    expect(problemsOf({ PORT: '70000', DATABASE_URL: tempDb() }).join()).toMatch(/^PORT: /);
  });

  it('names DATABASE_URL when the scheme is unknown', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/x' })).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
  });

  it('names BASE_URL when it is not a URL', () => {
    expect(problemsOf({ BASE_URL: 'prao.example.se', DATABASE_URL: tempDb() })).toEqual([expect.stringMatching(/^BASE_URL: /)]);
  });

  it('names SESSION_SECRET when it is too short', () => {
    expect(problemsOf({ SESSION_SECRET: 'short', DATABASE_URL: tempDb() })).toEqual([expect.stringMatching(/^SESSION_SECRET: /)]);
  });

  it('requires SESSION_SECRET on PostgreSQL, where instances must share it', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@localhost/db' })).toEqual([expect.stringMatching(/^SESSION_SECRET: /)]);
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'a@b.se', DATABASE_URL: tempDb() }).join()).toMatch(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });

  it('names DEMO_DATA when it is not a yes/no value', () => {
    expect(problemsOf({ DEMO_DATA: 'maybe', DATABASE_URL: tempDb() })).toEqual([expect.stringMatching(/^DEMO_DATA: /)]);
  });

  it('defaults the late-cancellation deadline to 72 hours and names a bad value', () => {
    expect(loadConfig({ DATABASE_URL: tempDb() }).lateCancellationHours).toBe(72);
    expect(loadConfig({ DATABASE_URL: tempDb(), LATE_CANCELLATION_HOURS: '24' }).lateCancellationHours).toBe(24);
    expect(problemsOf({ DATABASE_URL: tempDb(), LATE_CANCELLATION_HOURS: 'två dagar' })).toEqual(['LATE_CANCELLATION_HOURS: must be a number of hours']);
  });

  it('refuses the booking test switch outside tests, and keeps it off by default', () => {
    expect(loadConfig({ DATABASE_URL: tempDb() }).bookingUnsafeControl).toBe(false);
    expect(problemsOf({ DATABASE_URL: tempDb(), BOOKING_UNSAFE_CONTROL: '1' })[0]).toMatch(/^BOOKING_UNSAFE_CONTROL: only for tests/);
    expect(problemsOf({ DATABASE_URL: tempDb(), BOOKING_UNSAFE_CONTROL: '1', NODE_ENV: 'development' })[0]).toMatch(/^BOOKING_UNSAFE_CONTROL/);
    expect(loadConfig({ DATABASE_URL: tempDb(), BOOKING_UNSAFE_CONTROL: '1', NODE_ENV: 'test' }).bookingUnsafeControl).toBe(true);
  });

  it('reads DEMO_DATA=false as off', () => {
    expect(loadConfig({ DEMO_DATA: 'false', DATABASE_URL: tempDb() }).demoData).toBe(false);
  });

  it('generates a session secret beside the SQLite file once, readable only by its owner, and reuses it', () => {
    const file = tempDb();
    const first = loadConfig({ DATABASE_URL: file }).sessionSecret;
    const second = loadConfig({ DATABASE_URL: file }).sessionSecret;
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(readFileSync(`${file}.secret`, 'utf8').trim()).toBe(first);
    expect(statSync(`${file}.secret`).mode & 0o077).toBe(0);
  });

  it('turns on secure cookies when BASE_URL is https', () => {
    expect(loadConfig({ BASE_URL: 'https://prao.example.se/', DATABASE_URL: tempDb() })).toMatchObject({
      secureCookies: true,
      baseUrl: 'https://prao.example.se',
    });
  });

  it('hashes passwords with argon2id at least at OWASP strength in production', () => {
    expect(productionHashing.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(productionHashing.timeCost).toBeGreaterThanOrEqual(2);
  });
});

describe('DATABASE_URL forms', () => {
  it.each([
    ['data/x.sqlite', { kind: 'sqlite', file: 'data/x.sqlite' }],
    ['sqlite:data/x.sqlite', { kind: 'sqlite', file: 'data/x.sqlite' }],
    ['sqlite:///tmp/x.sqlite', { kind: 'sqlite', file: '/tmp/x.sqlite' }],
    ['postgres://u:p@h:5432/db', { kind: 'postgres', url: 'postgres://u:p@h:5432/db' }],
    ['postgresql://u@h/db', { kind: 'postgres', url: 'postgresql://u@h/db' }],
  ])('reads %s', (value, expected) => {
    expect(parseDatabaseUrl(value)).toEqual(expected);
  });
});
