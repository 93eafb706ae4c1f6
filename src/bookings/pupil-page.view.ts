import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import type { Pupil } from '../pupils/pupils.service.ts';
import { loadSlots } from '../slots/slots.service.ts';
import { formatDate, formatRange, toDbInstant } from '../time/stockholm.ts';
import { toBooking } from './booking.ts';
import * as repo from './bookings.repository.ts';
import { hasCalendarEvent, placeOf, type CalendarItem } from './calendar.ts';

/** The pupil's own page (behind their personal link): what they see, already worded and formatted. */

/** Every booking of the pupil with its slot, in time order. */
export async function pupilBookings(db: Db, pupilId: string): Promise<CalendarItem[]> {
  const bookings = (await repo.bookingsOfPupil(db, pupilId)).map(toBooking);
  const slots = new Map((await loadSlots(db, [...new Set(bookings.map((b) => b.slotId))])).map((s) => [s.id, s]));
  return bookings.flatMap((booking) => {
    const slot = slots.get(booking.slotId);
    return slot ? [{ booking, slot }] : [];
  });
}

/** One booking of the pupil, or undefined when there is none with that id (another pupil's booking included). */
export async function pupilBooking(db: Db, pupilId: string, bookingId: string): Promise<CalendarItem | undefined> {
  const row = await repo.findBooking(db, bookingId);
  if (!row || row.pupil_id !== pupilId) return undefined;
  const [slot] = await loadSlots(db, [row.slot_id]);
  return slot ? { booking: toBooking(row), slot } : undefined;
}

export const pupilPagePath = (token: string): string => `/p/${token}`;
export const bookingIcsPath = (token: string, bookingId: string): string => `/p/${token}/bookings/${bookingId}.ics`;
export const feedPath = (token: string): string => `/p/${token}/calendar.ics`;

/** The same address for calendar apps: webcal:// opens the phone's calendar and subscribes. */
export const webcalUrl = (url: string): string => url.replace(/^https?:\/\//, 'webcal://');

/** Sorts the bookings for the page: what is coming (booked or waiting), what was cancelled, what is done. */
export function partitionBookings(items: readonly CalendarItem[], now: DateTime) {
  const nowIso = toDbInstant(now);
  const live = items.filter((i) => i.booking.status !== 'cancelled');
  const liveSlots = new Set(live.map((i) => i.slot.id));
  return {
    upcoming: live.filter((i) => i.slot.endsAt > nowIso),
    // A cancelled booking the pupil was later booked into again is not news.
    cancelled: items.filter((i) => i.booking.status === 'cancelled' && i.slot.endsAt > nowIso && !liveSlots.has(i.slot.id)),
    past: live.filter((i) => i.booking.status === 'confirmed' && i.slot.endsAt <= nowIso).reverse(),
  };
}

function upcomingView({ booking, slot }: CalendarItem, token: string, t: Translate, locale: Locale) {
  const waitlisted = booking.status === 'waitlisted';
  return {
    id: booking.id,
    waitlisted,
    when: formatRange(slot.startsAt, slot.endsAt, locale),
    company: slot.companyName,
    place: placeOf(slot),
    meetingPoint: slot.site.meetingPoint,
    directions: slot.site.directions,
    bring: slot.bring,
    activities: slot.activities,
    // Only hosts who have agreed to show their story are named (the story page is public).
    hosts: slot.hosts.filter((h) => h.published).map((h) => ({ href: `/stories/${h.storyId}`, label: t('pupil_page.host_link', { name: h.name, title: h.title }) })),
    icsHref: !waitlisted && hasCalendarEvent(booking) ? bookingIcsPath(token, booking.id) : null,
    icsWhich: t('pupil_page.add_to_calendar_which', { company: slot.companyName }),
  };
}

export function pupilPageView(pupil: Pupil, items: readonly CalendarItem[], token: string, baseUrl: string, now: DateTime, t: Translate, locale: Locale) {
  const { upcoming, cancelled, past } = partitionBookings(items, now);
  const feed = `${baseUrl}${feedPath(token)}`;
  return {
    title: t('pupil_page.title'),
    greeting: t('pupil_page.hello', { name: pupil.givenName }),
    upcoming: upcoming.map((i) => upcomingView(i, token, t, locale)),
    cancelled: cancelled.map((i) => t('pupil_page.cancelled_item', { company: i.slot.companyName, when: formatRange(i.slot.startsAt, i.slot.endsAt, locale) })),
    past: past.map((i) => ({ date: formatDate(i.slot.startsAt, locale), company: i.slot.companyName })),
    feed: { url: feed, webcal: webcalUrl(feed) },
  };
}
