import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real entry points, as separate processes: start-up, config errors, shutdown, backup.
// These use SQLite files of their own, whatever TEST_DATABASE_URL says.
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'tp-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...extra };
}

async function waitForHealth(port: number, child: ChildProcess): Promise<Response> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('server did not start');
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('the server process', { timeout: 60_000 }, () => {
  let child: ChildProcess;
  let output = '';
  const port = 20000 + Math.floor(Math.random() * 20000);
  const database = path.join(dir, 'served.sqlite');

  beforeAll(async () => {
    child = spawn(tsx, ['src/server.ts'], {
      cwd: root,
      env: env({ PORT: String(port), DATABASE_URL: database, ADMIN_EMAIL: 'root@teknikprao.test', ADMIN_PASSWORD: 'a long admin password', DEMO_DATA: 'false' }),
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitForHealth(port, child);
  }, 60_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers /healthz with the database it uses', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
  });

  it('creates the platform administrator from ADMIN_EMAIL and ADMIN_PASSWORD on first start', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@teknikprao.test', password: 'a long admin password' }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ role: 'platform_admin', email: 'root@teknikprao.test' });
  });

  it('backs up the database online while the server runs', () => {
    const target = path.join(dir, 'backup.sqlite');
    const result = spawnSync(tsx, ['scripts/backup.ts', target], { cwd: root, env: env({ DATABASE_URL: database }), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Backed up \d+ pages/);
    const copy = new SqliteDatabase(target, { readonly: true });
    const row = copy.prepare('select email from users').get() as { email: string };
    copy.close();
    expect(row.email).toBe('root@teknikprao.test');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/Error/);
  });
});

describe('start-up with a wrong setting', { timeout: 60_000 }, () => {
  it('stops with a message that names the variable', () => {
    const result = spawnSync(tsx, ['src/server.ts'], { cwd: root, env: env({ PORT: 'abc', DATABASE_URL: path.join(dir, 'never.sqlite') }), encoding: 'utf8' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT: must be a port number');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('npm run seed', { timeout: 60_000 }, () => {
  it('loads the demo data into an empty database and prints the sign-ins', () => {
    const file = path.join(dir, 'seeded.sqlite');
    const result = spawnSync(tsx, ['scripts/seed.ts'], { cwd: root, env: env({ DATABASE_URL: file }), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('syv@solbacke.example');
    const db = new SqliteDatabase(file, { readonly: true });
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    expect([count('networks'), count('companies'), count('schools'), count('users')]).toEqual([2, 8, 6, 7]);
    // Slots depend on the real date (only the term's slots not yet started); demo-data.test.ts pins the clock.
    expect([count('role_stories'), count('slots') > 0]).toEqual([22, true]);
    db.close();
  });

  it('leaves a database that already has users alone', () => {
    const file = path.join(dir, 'seeded.sqlite');
    const result = spawnSync(tsx, ['scripts/seed.ts'], { cwd: root, env: env({ DATABASE_URL: file }), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('already has users');
  });
});
