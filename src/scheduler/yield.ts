/**
 * A turn of the event loop. better-sqlite3 answers synchronously, so a chain of awaited queries
 * never lets another request in; long work (a large allocation) calls this between its steps.
 */
export const letOthersIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
