import type { Request, Response } from 'express';
import { z } from 'zod';
import { plainString } from '../http/fields.ts';
import type { AppDeps } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { findPupilByLinkToken } from '../pupils/links.ts';
import type { Pupil } from '../pupils/pupils.service.ts';
import { fromDbInstant, ZONE } from '../time/stockholm.ts';
import { buildCalendar, feedItems, hasCalendarEvent } from './calendar.ts';
import { pupilBooking, pupilBookings, pupilPageView } from './pupil-page.view.ts';
import { wishesTeaser } from '../scheduler/wishes.view.ts';

/**
 * Pupils have no accounts: the token in their personal link is the credential. So every answer
 * here is kept out of caches, referrers and search engines, and an unknown, revoked or
 * malformed token gets the same kind 404 page (never a 500). Pupils can only look, not change.
 */
// plainString: a control character in a link is a link that does not work (PostgreSQL refuses a NUL outright).
const tokenSchema = z.object({ token: plainString().max(200) });
const bookingSchema = tokenSchema.extend({ bookingId: plainString().max(100) });

function keepPrivate(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex, nofollow' });
}

function sendCalendar(res: Response, text: string, filename?: string): void {
  if (filename) res.set('Content-Disposition', `attachment; filename="${filename}"`);
  res.type('text/calendar; charset=utf-8').send(text);
}

/**
 * Reads the pupil a link belongs to (for every page behind a pupil's link, the wish pages too);
 * otherwise answers with the "link does not work" page and gives undefined.
 */
export function pupilLinkReader({ db, config }: Pick<AppDeps, 'db' | 'config'>) {
  return async function pupilOfLink<P extends { token: string }>(req: Request, res: Response, schema: z.ZodType<P>): Promise<{ pupil: Pupil; params: P } | undefined> {
    keepPrivate(res);
    const parsed = schema.safeParse(req.params);
    const pupil = parsed.success ? await findPupilByLinkToken(db, config.sessionSecret, parsed.data.token) : undefined;
    if (pupil && parsed.success) return { pupil, params: parsed.data };
    const { t } = req.ctx;
    await renderPage(res, 'bookings/pupil-link-invalid', { title: t('pupil_page.link_invalid_title') }, 404);
    return undefined;
  };
}

export function pupilPageRoutes({ db, config }: AppDeps): RouteSpec[] {
  const pupilOfLink = pupilLinkReader({ db, config });

  return [
    {
      method: 'get',
      path: '/p/:token',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, tokenSchema);
        if (!found) return;
        const { t, locale, now } = req.ctx;
        const items = await pupilBookings(db, found.pupil.id);
        const wishes = await wishesTeaser(db, found.pupil, found.params.token, { t, locale, now });
        await renderPage(res, 'bookings/pupil-page', { ...pupilPageView(found.pupil, items, found.params.token, config.baseUrl, now, t, locale), wishes });
      },
    },
    {
      method: 'get',
      path: '/p/:token/calendar.ics',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, tokenSchema);
        if (!found) return;
        const { t, now } = req.ctx;
        const items = feedItems(await pupilBookings(db, found.pupil.id), now);
        sendCalendar(res, buildCalendar(items, { baseUrl: config.baseUrl, now, t, feed: true }));
      },
    },
    {
      method: 'get',
      path: '/p/:token/bookings/:bookingId.ics',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, bookingSchema);
        if (!found) return;
        const { t, now } = req.ctx;
        const item = await pupilBooking(db, found.pupil.id, found.params.bookingId);
        // Another pupil's booking, or a waitlist place (no seat yet), is simply not there.
        if (!item || !hasCalendarEvent(item.booking)) throw notFound();
        const day = fromDbInstant(item.slot.startsAt).setZone(ZONE).toFormat('yyyy-MM-dd');
        sendCalendar(res, buildCalendar([item], { baseUrl: config.baseUrl, now, t }), `prao-${day}.ics`);
      },
    },
  ];
}
