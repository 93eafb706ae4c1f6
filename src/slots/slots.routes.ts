import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** Slots and series for companies (/company/slots…, /company/series…), the catalogue (/catalogue) and slot pages (/slots/:id). */
export function slotsRoutes(_deps: AppDeps): RouteSpec[] {
  return [];
}
