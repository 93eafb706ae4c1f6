import type { AppDeps } from '../http/context.ts';
import type { ApiRoute } from '../api/api.routes.ts';

export function pupilApiRoutes(_deps: AppDeps): ApiRoute[] {
  return [];
}
