import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { OpenDatabase } from '../../src/db/database.ts';

/**
 * The app in processes of its own (test/support/serve.ts), for tests that need real
 * concurrency between instances on one database, or an instance that dies mid-request.
 * Each process answers on 127.0.0.1 through a keep-alive agent of its own.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serveEntry = path.join(root, 'test/support/serve.ts');
const START_TIMEOUT_MS = 30_000;

export interface AppProcessOptions {
  /** A SQLite file path or a postgres:// URL; the database must already be migrated. */
  database: string;
  /** Extra environment, e.g. { BOOKING_UNSAFE_CONTROL: '1' }. */
  env?: Record<string, string>;
  /** An ISO instant for a fixed clock (serve.ts defaults to TEST_NOW), or 'system'. */
  now?: string;
}

export interface Reply {
  status: number;
  /** Parsed JSON (or the text when it is not JSON). */
  body: any;
}

/** Children still running: killed if the test process leaves without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export class AppProcess {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly options: AppProcessOptions,
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly errors: () => string,
  ) {
    const gone = child.exitCode !== null || child.signalCode !== null;
    this.exit = new Promise((resolve) => (gone ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
  }

  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const clock = options.now === 'system' ? ['--system-clock'] : options.now ? ['--now', options.now] : [];
    const child = spawn(process.execPath, ['--import', 'tsx', serveEntry, options.database, ...clock], {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8_000)));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the app did not start within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`));
      }, START_TIMEOUT_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /^LISTENING (\d+)$/m.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the app exited (${code ?? signal}) before listening:\n${stderr}`));
      });
    });
    return new AppProcess(options, child, port, () => stderr);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What the process wrote on stderr (the last few kB), for failure messages. */
  get stderr(): string {
    return this.errors();
  }

  /** A JSON request to this process; rejects when the connection fails (e.g. the process died). */
  request(method: string, urlPath: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { accept: 'application/json', ...options.headers };
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path: urlPath, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** SIGTERM (a graceful stop) or SIGKILL (a crash), and wait until the process is gone. */
  async kill(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    // The process goes first: requests in flight then fail because it died, not because we hung up.
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exit;
    this.agent.destroy();
  }

  /** A new process with the same options (the old one is stopped first if it still runs). */
  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<AppProcess> {
    await this.kill(signal);
    return AppProcess.start(this.options);
  }
}

/** `count` processes on one database, started side by side. */
export async function startApps(count: number, options: AppProcessOptions): Promise<AppProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => AppProcess.start(options)));
  const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopApps(apps);
    throw failed.reason;
  }
  return apps;
}

/**
 * Where another process finds this test database: the SQLite file, or the PostgreSQL URL of
 * TEST_DATABASE_URL's server with this database's name.
 */
export async function addressOf(database: OpenDatabase): Promise<string> {
  if (database.sqlite) return database.sqlite.name;
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('a PostgreSQL test database without TEST_DATABASE_URL');
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(database.db);
  const url = new URL(server);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

export async function stopApps(apps: readonly (AppProcess | undefined)[]): Promise<void> {
  await Promise.all(apps.map((app) => app?.kill('SIGTERM')));
}
