import { parentPort, workerData } from 'node:worker_threads';
import { runAllocationJob, type AllocationJob } from './allocation-run.ts';

/** The worker thread's body: runs one allocation job and posts its stages and its outcome. */
const port = parentPort!;
try {
  const outcome = runAllocationJob(workerData as AllocationJob, (stage) => port.postMessage({ type: 'stage', stage }));
  port.postMessage({ type: 'done', outcome });
} catch (error) {
  port.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
