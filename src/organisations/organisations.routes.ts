import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';
import { memberRoutes } from './member.routes.ts';
import { networkRoutes } from './network.routes.ts';

export function organisationRoutes(deps: AppDeps): RouteSpec[] {
  return [...networkRoutes(deps), ...memberRoutes(deps)];
}
