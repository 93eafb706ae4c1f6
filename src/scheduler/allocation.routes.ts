import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Pages: allocation runs, preview, commit and results pages. */
export function allocationRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
