import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinoHttp } from 'pino-http';
import { apiRouter } from './api/api.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { homeRoutes } from './home/home.routes.ts';
import type { AppDeps } from './http/context.ts';
import { createCsrf } from './http/csrf.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { resolveLocale } from './http/locale.ts';
import { mountRoutes, type RouteTableEntry } from './http/routes.ts';
import { loadIdentity } from './http/session.ts';
import { DEFAULT_LOCALE, translator } from './i18n/index.ts';
import { mailRoutes } from './mail/mail.routes.ts';
import { organisationRoutes } from './organisations/organisations.routes.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { navigationFor } from './home/navigation.ts';
import { usersRoutes } from './users/users.routes.ts';
import { storiesRoutes } from './stories/stories.routes.ts';
import { slotsRoutes } from './slots/slots.routes.ts';
import { pupilsRoutes } from './pupils/pupils.routes.ts';
import { schoolBookingRoutes } from './bookings/school.routes.ts';
import { companyBookingRoutes } from './bookings/company.routes.ts';
import { pupilPageRoutes } from './bookings/pupil-page.routes.ts';
import { networkBookingRoutes } from './bookings/network.routes.ts';
import { roundRoutes } from './scheduler/rounds.routes.ts';
import { wishRoutes } from './scheduler/wishes.routes.ts';
import { allocationRoutes } from './scheduler/allocation.routes.ts';

/**
 * The path as logged: no query string, and no pupil's personal link token (/p/<token>…), which
 * is a credential to a minor's schedule.
 */
export function loggedPath(url: string | undefined): string | undefined {
  // Case-insensitive, as Express's routing is (/P/<token> reaches the same page).
  return url?.split('?')[0]?.replace(/^\/p\/[^/]+/i, '/p/…');
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function createApp(deps: AppDeps): Express {
  const app = express();
  const routeTable: RouteTableEntry[] = [];
  app.locals.routeTable = routeTable;
  app.set('views', path.join(root, 'views'));
  app.set('view engine', 'ejs');
  app.set('x-powered-by', false);
  if (deps.config.trustProxy) app.set('trust proxy', deps.config.trustProxy);
  // Compiled templates are cached everywhere but in development, where views change while it runs.
  if (deps.config.env !== 'development') app.set('view cache', true);

  // 1. Context first: every later step (and the error handler) can rely on req.ctx.
  app.use((req, res, next) => {
    const requestId = (req.get('x-request-id') ?? '').replace(/[^\w-]/g, '').slice(0, 64) || randomUUID();
    res.set('X-Request-Id', requestId);
    req.ctx = {
      requestId,
      locale: DEFAULT_LOCALE,
      t: translator(DEFAULT_LOCALE),
      user: null,
      sessionIdHash: null,
      via: req.path.startsWith('/api/') ? 'api' : 'ui',
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      now: deps.clock.now(),
    };
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as express.Request).ctx.requestId,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: loggedPath(req.url) }) },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: deps.config.secureCookies,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use('/assets', express.static(path.join(root, 'views', 'assets'), { maxAge: '1h', index: false }));
  app.use(cookieParser());

  app.use(loadIdentity(deps));
  app.use(resolveLocale);
  app.use((req, res, next) => {
    const { ctx } = req;
    res.locals.t = ctx.t;
    res.locals.locale = ctx.locale;
    res.locals.user = ctx.user;
    res.locals.currentPath = req.originalUrl;
    res.locals.nav = navigationFor(ctx.user, ctx.t);
    // Signed-in pages hold pupils' names and links: no browser or proxy may keep them.
    if (ctx.user) res.set('Cache-Control', 'no-store');
    next();
  });
  // Views (the error page too) can always ask for a token; then every state-changing request is checked.
  const csrf = createCsrf(deps.config);
  app.use(csrf.expose);
  // Bodies are parsed after the view locals exist, so a bad body still gets a proper error page.
  // Room for the largest forms: a group booking (up to 200 pupils) and attendance (up to 500).
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 600 }));
  app.use('/api', express.json({ limit: '1mb' }));
  // Express 5 leaves req.body undefined when nothing was sent; handlers may always read fields.
  app.use((req, _res, next) => {
    if (req.body === undefined && !req.is('multipart/form-data')) req.body = {};
    next();
  });
  app.use(csrf.protect);

  const pages = express.Router();
  mountRoutes(pages, opsRoutes(deps), routeTable);
  mountRoutes(pages, homeRoutes(deps), routeTable);
  mountRoutes(pages, authRoutes(deps), routeTable);
  mountRoutes(pages, usersRoutes(deps), routeTable);
  mountRoutes(pages, organisationRoutes(deps), routeTable);
  mountRoutes(pages, mailRoutes(deps), routeTable);
  mountRoutes(pages, storiesRoutes(deps), routeTable);
  mountRoutes(pages, slotsRoutes(deps), routeTable);
  mountRoutes(pages, pupilsRoutes(deps), routeTable);
  mountRoutes(pages, schoolBookingRoutes(deps), routeTable);
  mountRoutes(pages, companyBookingRoutes(deps), routeTable);
  mountRoutes(pages, pupilPageRoutes(deps), routeTable);
  mountRoutes(pages, networkBookingRoutes(deps), routeTable);
  mountRoutes(pages, roundRoutes(deps), routeTable);
  mountRoutes(pages, wishRoutes(deps), routeTable);
  mountRoutes(pages, allocationRoutes(deps), routeTable);
  app.use('/api/v1', apiRouter(deps, routeTable));
  app.use(pages);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
