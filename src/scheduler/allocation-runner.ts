import { Worker } from 'node:worker_threads';
import type { AllocationJob, AllocationOutcome, Stage } from './allocation-run.ts';

const entry = new URL('./allocation-worker.mjs', import.meta.url);

/**
 * Runs an allocation job in a worker thread, so the solve (a second or more for a large round)
 * never holds up other requests. Resolves with the outcome; rejects when the worker fails.
 */
export function runInWorker(job: AllocationJob, onStage: (stage: Stage) => void = () => {}): Promise<AllocationOutcome> {
  return new Promise((resolve, reject) => {
    // No inherited flags: the entry registers what it needs, the same under tsx and vitest.
    const worker = new Worker(entry, { workerData: job, execArgv: [] });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: { type: 'stage'; stage: Stage } | { type: 'done'; outcome: AllocationOutcome } | { type: 'error'; message: string }) => {
      if (message.type === 'stage') onStage(message.stage);
      else if (message.type === 'done') finish(() => resolve(message.outcome));
      else finish(() => reject(new Error(`allocation worker: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`allocation worker stopped (exit code ${code})`))));
  });
}
