import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Pages: wishes: the counsellor's (/school/rounds…) and the pupil's (/p/:token/wishes…) pages. */
export function wishRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
