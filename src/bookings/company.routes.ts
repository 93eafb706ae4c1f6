import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** The company's side (/company/participants…): who comes to each slot, a printable day list, attendance. */
export function companyBookingRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
