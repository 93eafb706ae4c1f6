import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { companySlotRoutes } from './company-slots.routes.ts';
import { seriesRoutes } from './series.routes.ts';

/** Slots and series for companies (/company/slots…, /company/series…), the catalogue (/catalogue) and slot pages (/slots/:id). */
export function slotsRoutes(deps: AppDeps): RouteSpec[] {
  return [...companySlotRoutes(deps), ...seriesRoutes(deps), ...catalogueRoutes(deps)];
}
