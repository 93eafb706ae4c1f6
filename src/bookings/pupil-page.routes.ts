import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** A pupil's own page behind their personal link (/p/:token…): their bookings, a .ics file and a calendar feed. */
export function pupilPageRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
