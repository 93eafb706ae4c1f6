import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Counsellors book their pupils (/school/bookings…): one pupil or a group, the waitlist, cancelling with a reason. */
export function schoolBookingRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
