import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Role stories: the company's own (/company/stories…) and the public library (/library…, /stories/:id). */
export function storiesRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
