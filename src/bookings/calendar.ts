import ical, { ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';
import type { DateTime } from 'luxon';
import type { Translate } from '../i18n/index.ts';
import type { Slot } from '../slots/slots.service.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import type { Booking } from './booking.ts';

/**
 * A pupil's bookings as iCalendar (RFC 5545), built with ical-generator: pure, no I/O.
 *
 * - Times are written in UTC (DTSTART:20270329T060000Z), so no VTIMEZONE is needed and a DST
 *   change day cannot shift them; calendar apps show them in the phone's own zone.
 * - UID is "<booking id>@<host of BASE_URL>": the same booking keeps its UID in every file and
 *   every refresh of the feed, so an app updates the event instead of adding a second one.
 * - A booking only goes confirmed → cancelled (a new booking gets a new id), so SEQUENCE is 0
 *   while it stands and 1 once it is cancelled: an app that imported the event sees the
 *   cancellation as the newer version.
 * - The feed holds confirmed bookings that have not ended or ended in the last RECENT_DAYS, and,
 *   as STATUS:CANCELLED, bookings that had a seat and were cancelled in the last RECENT_DAYS
 *   before their day (so a subscribed calendar crosses them out; after that they disappear).
 *   Waitlisted bookings are not in it: the pupil has no place yet.
 */

export const RECENT_DAYS = 30;
/** How often a subscribed calendar should fetch the feed again. */
export const FEED_REFRESH_SECONDS = 60 * 60;

export interface CalendarItem {
  booking: Booking;
  slot: Slot;
}

export interface CalendarOptions {
  baseUrl: string;
  now: DateTime;
  t: Translate;
  /** A feed to subscribe to (adds a refresh interval), rather than a one-off file. */
  feed?: boolean;
}

/** The event's UID: stable for the booking, whatever else changes. */
export function bookingUid(bookingId: string, baseUrl: string): string {
  return `${bookingId}@${new URL(baseUrl).hostname}`;
}

/** Was the pupil given a seat before this cancelled booking was cancelled? (A waitlist place never reached a calendar.) */
const hadSeat = (booking: Booking) => booking.confirmedAt !== null;

/** The bookings the feed holds at `now`, in time order. */
export function feedItems(items: readonly CalendarItem[], now: DateTime): CalendarItem[] {
  const nowIso = toDbInstant(now);
  const since = toDbInstant(now.minus({ days: RECENT_DAYS }));
  return items
    .filter(({ booking, slot }) => {
      if (booking.status === 'confirmed') return slot.endsAt >= since;
      if (booking.status === 'cancelled') return hadSeat(booking) && booking.cancelledAt! >= since && slot.endsAt > nowIso;
      return false;
    })
    .sort((a, b) => (a.slot.startsAt < b.slot.startsAt ? -1 : a.slot.startsAt > b.slot.startsAt ? 1 : a.booking.id < b.booking.id ? -1 : 1));
}

/** May this booking be given as a calendar file? Confirmed ones, and cancelled ones that had a seat (to cross them out). */
export const hasCalendarEvent = (booking: Booking): boolean => booking.status === 'confirmed' || (booking.status === 'cancelled' && hadSeat(booking));

/** The place as one line, as a map app can look it up: "Site, Street 1, Town". */
export function placeOf(slot: Slot): string {
  return [slot.site.name, slot.site.address, slot.site.municipality].filter(Boolean).join(', ');
}

/** The event's text: where to meet, how to get there and what to bring, one per line. */
export function descriptionOf(slot: Slot, t: Translate): string {
  const lines: string[] = [];
  if (slot.site.meetingPoint) lines.push(t('pupil_page.ics_meeting_point', { text: slot.site.meetingPoint }));
  if (slot.site.directions) lines.push(t('pupil_page.ics_directions', { text: slot.site.directions }));
  if (slot.bring) lines.push(t('pupil_page.ics_bring', { text: slot.bring }));
  return lines.join('\n');
}

function eventOf({ booking, slot }: CalendarItem, options: CalendarOptions): ICalEventData {
  const cancelled = booking.status === 'cancelled';
  const description = descriptionOf(slot, options.t);
  return {
    id: bookingUid(booking.id, options.baseUrl),
    sequence: cancelled ? 1 : 0,
    stamp: options.now.toJSDate(),
    lastModified: fromDbInstant(booking.updatedAt).toJSDate(),
    start: fromDbInstant(slot.startsAt).toJSDate(),
    end: fromDbInstant(slot.endsAt).toJSDate(),
    summary: options.t('pupil_page.ics_summary', { company: slot.companyName }),
    location: placeOf(slot),
    description: description || null,
    url: `${options.baseUrl}/slots/${slot.id}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/** An iCalendar text (METHOD:PUBLISH) with one event per item, in the given order. */
export function buildCalendar(items: readonly CalendarItem[], options: CalendarOptions): string {
  const calendar = ical({
    prodId: { company: 'Teknikprao', product: 'Prao', language: 'SV' },
    method: ICalCalendarMethod.PUBLISH,
    name: options.t('pupil_page.ics_calendar_name'),
    ttl: options.feed ? FEED_REFRESH_SECONDS : null,
  });
  for (const item of items) calendar.createEvent(eventOf(item, options));
  return calendar.toString();
}
