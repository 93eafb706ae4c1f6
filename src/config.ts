import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only module that reads process.env. A wrong value stops start-up with a message that
 * names the variable (ConfigError), never a stack trace.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    message: 'must be one of true/false, 1/0, yes/no, on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0–65535')
    .max(65535, 'must be 0–65535')
    .default(3000),
  DATABASE_URL: z
    .string()
    .min(1, 'must not be empty')
    .default('data/teknikprao.sqlite')
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(postgres|postgresql|sqlite):\/\//i.test(v), {
      message: 'must be a file path, a sqlite: URL or a postgres:// URL',
    }),
  BASE_URL: z.url({ message: 'must be an absolute http(s) URL, e.g. https://prao.example.se' }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\//.test(v), { message: 'must start with smtp:// or smtps://' })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Teknikprao <no-reply@teknikprao.invalid>'),
  DEMO_DATA: boolish.optional(),
  ADMIN_EMAIL: z.email({ message: 'must be an e-mail address' }).optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  TRUST_PROXY: z.string().optional(),
  LATE_CANCELLATION_HOURS: z.coerce
    .number({ message: 'must be a number of hours' })
    .int('must be a whole number of hours')
    .min(0, 'must be 0–720 hours')
    .max(720, 'must be 0–720 hours')
    .default(72),
  // Test-only: turns the booking protection off so the concurrency tests can show they bite.
  BOOKING_UNSAFE_CONTROL: boolish.optional(),
});

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  database: DatabaseConfig;
  baseUrl: string;
  secureCookies: boolean;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  demoData: boolean | undefined;
  admin: { email: string; password: string } | undefined;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  trustProxy: string | undefined;
  passwordHashing: PasswordHashing;
  /** A booking cancelled less than this many hours before its start is a late cancellation. */
  lateCancellationHours: number;
  /**
   * Test-only (refused outside NODE_ENV=test): book by check-then-insert without locks, and
   * expect the test to have removed the database's guards. The concurrency tests' control.
   */
  bookingUnsafeControl: boolean;
}

export function parseDatabaseUrl(value: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  const file = value.replace(/^sqlite:(\/\/)?/i, '');
  return { kind: 'sqlite', file: file === '' ? 'data/teknikprao.sqlite' : file };
}

/** Argon2id with OWASP's recommended minimum (19 MiB, t=2) raised to 64 MiB, t=3. */
export const productionHashing: PasswordHashing = { memoryCost: 65536, timeCost: 3, parallelism: 1 };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither');
  }
  const database = parseDatabaseUrl(e.DATABASE_URL);
  let sessionSecret = e.SESSION_SECRET;
  if (sessionSecret === undefined) {
    if (database.kind === 'sqlite') sessionSecret = persistedSecret(database.file);
    else problems.push('SESSION_SECRET: must be set when DATABASE_URL is PostgreSQL (all instances share it)');
  }
  if (e.BOOKING_UNSAFE_CONTROL && e.NODE_ENV !== 'test') {
    problems.push('BOOKING_UNSAFE_CONTROL: only for tests (NODE_ENV=test); it turns off the protection against double bookings');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    database,
    baseUrl,
    secureCookies: baseUrl.startsWith('https://'),
    sessionSecret: sessionSecret!,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    demoData: e.DEMO_DATA,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    trustProxy: e.TRUST_PROXY,
    passwordHashing: productionHashing,
    lateCancellationHours: e.LATE_CANCELLATION_HOURS,
    bookingUnsafeControl: e.BOOKING_UNSAFE_CONTROL ?? false,
  });
}

/**
 * For the embedded default: a random secret generated once and kept beside the database file
 * (mode 0600), so sessions and CSRF tokens survive restarts without any set-up.
 */
function persistedSecret(databaseFile: string): string {
  const secretFile = `${databaseFile === ':memory:' ? 'data/teknikprao' : databaseFile}.secret`;
  if (existsSync(secretFile)) return readFileSync(secretFile, 'utf8').trim();
  mkdirSync(path.dirname(path.resolve(secretFile)), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  return secret;
}
