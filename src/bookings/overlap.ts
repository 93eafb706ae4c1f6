/**
 * Half-open intervals [start, end): a slot that ends at 12.00 does not clash with one that
 * starts at 12.00. Instants are compared as stored (UTC ISO text of one fixed width, which sorts
 * like time) or as epoch milliseconds; both sides must use the same form.
 */
export interface Interval<T extends string | number = string | number> {
  start: T;
  end: T;
}

/** Do the two intervals share any moment? Empty or reversed intervals share none. */
export function overlaps<T extends string | number>(a: Interval<T>, b: Interval<T>): boolean {
  if (!(a.start < a.end) || !(b.start < b.end)) return false;
  return a.start < b.end && b.start < a.end;
}
