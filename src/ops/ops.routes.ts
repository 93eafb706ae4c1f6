import { sql } from 'kysely';
import type { AppDeps } from '../http/context.ts';
import type { RouteSpec } from '../http/routes.ts';

/** GET /healthz: 200 when the database answers, 503 otherwise (for load balancers). */
export function opsRoutes({ db, dialect }: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      access: 'public',
      handler: async (req, res) => {
        const started = process.hrtime.bigint();
        try {
          await sql`select 1 as ok`.execute(db);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          res.json({ status: 'ok', database: dialect, databaseMs: Math.round(ms * 100) / 100 });
        } catch (error) {
          req.log.error({ err: error }, 'health check failed');
          res.status(503).json({ status: 'unavailable', database: dialect });
        }
      },
    },
  ];
}
