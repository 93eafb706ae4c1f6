import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';
import { companyStoryRoutes } from './company.routes.ts';
import { libraryRoutes } from './library.routes.ts';
import { portraitRoutes } from './portrait.routes.ts';

/** Role stories: the company's own (/company/stories…) and the public library (/library…, /stories/:id). */
export function storiesRoutes(deps: AppDeps): RouteSpec[] {
  return [...companyStoryRoutes(deps), ...portraitRoutes(deps), ...libraryRoutes(deps)];
}
