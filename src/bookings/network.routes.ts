import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Network coordinators follow up (/network/late-cancellations…). */
export function networkBookingRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
