/**
 * Did a write fail on a unique index? The service checks first to explain the clash, but two
 * requests at once can both pass that check; the index then decides, and the loser should get
 * the same 409/422 as if the check had caught it, not a 500.
 */
export function isUniqueViolation(error: unknown, table: string, column: string): boolean {
  const e = error as { code?: unknown; message?: unknown; table?: unknown; constraint?: unknown };
  if (e?.code === '23505') return e.table === table && typeof e.constraint === 'string' && e.constraint.includes(column);
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') return typeof e.message === 'string' && e.message.includes(`${table}.${column}`);
  return false;
}
