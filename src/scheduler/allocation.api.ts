import type { ApiRoute } from '../api/api.routes.ts';
import type { AppDeps } from '../http/context.ts';

export function allocationApiRoutes(_deps: AppDeps): ApiRoute[] {
  return [];
}
