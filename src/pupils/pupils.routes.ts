import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';
import { importRoutes } from './import.routes.ts';
import { linkRoutes } from './links.routes.ts';
import { registerRoutes } from './register.routes.ts';
import { removalRoutes } from './removal.routes.ts';

/**
 * The school's pupil register (/school/pupils…): list, add, edit, CSV import with preview,
 * end-of-term removal, personal links. Counsellors only, and only their own school's pupils.
 * The register's routes with an id (/school/pupils/:id) come last, after every fixed path.
 */
export function pupilsRoutes(deps: AppDeps): RouteSpec[] {
  return [...importRoutes(deps), ...removalRoutes(deps), ...linkRoutes(deps), ...registerRoutes(deps)];
}
