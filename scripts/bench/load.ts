// A small, bounded load generator for the benchmarks: N clients over keep-alive loopback
// connections, each sending its next request when the last answer has been read in full.
import http from 'node:http';

export interface LoadOptions {
  /** Stop after this many requests in all… */
  requests: number;
  /** …or after this many seconds, whichever comes first. */
  seconds: number;
  concurrency: number;
}

export interface Stats {
  count: number;
  failures: number;
  p50: number;
  p95: number;
  p99: number;
  /** completed per second of wall-clock time */
  perSecond: number;
}

/** Nearest-rank percentile of sorted milliseconds. */
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

export function summarise(latencies: number[], failures: number, wallMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, failures, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), perSecond: (sorted.length / wallMs) * 1000 };
}

/** Runs `task` from `concurrency` loops until the count or time bound; times each call. */
export async function measure(task: () => Promise<boolean>, options: LoadOptions): Promise<Stats> {
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const loop = async () => {
    while (issued < options.requests && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      const ok = await task().catch(() => false);
      if (ok) latencies.push(performance.now() - t0);
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return summarise(latencies, failures, performance.now() - started);
}

export interface Response {
  status: number;
  body: string;
}

/** A GET on 127.0.0.1 only, through a keep-alive agent. */
export function httpClient(port: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}
