// The entry of the allocation's worker thread. A worker does not inherit tsx (neither from
// `npm start` nor from vitest), so it registers tsx itself, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./allocation-worker.ts');
