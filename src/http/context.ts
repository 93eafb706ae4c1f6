import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db, Dialect } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import type { Clock } from '../time/clock.ts';
import type { Mailer } from '../mail/mail.service.ts';

/** Everything a feature router needs; built once in server.ts (or by a test). */
export interface AppDeps {
  db: Db;
  dialect: Dialect;
  config: Config;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
}

/** The signed-in person, as every route sees them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  networkId: string | null;
  companyId: string | null;
  schoolId: string | null;
  locale: Locale;
}

export interface RequestContext {
  requestId: string;
  locale: Locale;
  t: Translate;
  user: SessionUser | null;
  /** sha256 of the session token, when signed in through a session. */
  sessionIdHash: string | null;
  /** 'ui' for pages, 'api' for /api/* (recorded in audit trails). */
  via: 'ui' | 'api';
  ip: string;
  /** The request's "now", from the injected clock. */
  now: DateTime;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      ctx: RequestContext;
    }
  }
}
