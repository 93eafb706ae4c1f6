import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** The school's pupil register (/school/pupils…): list, add, edit, CSV import with preview, end-of-term removal, personal links. */
export function pupilsRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
