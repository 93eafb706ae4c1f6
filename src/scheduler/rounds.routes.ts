import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Pages: the coordinator's round pages (/network/rounds…). */
export function roundRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
