import type { Locale, Translate } from '../i18n/index.ts';
import { formatDate, formatRange, fromDbInstant } from '../time/stockholm.ts';
import type { Slot } from './slots.service.ts';

/** A slot as the views show it: every text already translated and every time formatted. */
export function slotView(slot: Slot, t: Translate, locale: Locale) {
  return {
    id: slot.id,
    seriesId: slot.seriesId,
    status: slot.status,
    statusLabel: t(`slots.status_${slot.status}`),
    cancelled: slot.status === 'cancelled',
    when: formatRange(slot.startsAt, slot.endsAt, locale),
    companyName: slot.companyName,
    site: slot.site,
    formatLabel: t(`slots.format_${slot.format}`),
    gradesLabel: slot.grades.map((g) => t(`slots.grade_${g}`)).join(', '),
    fill: t('slots.fill', { booked: slot.bookedCount, capacity: slot.capacity }),
    bookedCount: slot.bookedCount,
    seatsLeft: seatsLeftText(slot.seatsLeft, t),
    full: slot.seatsLeft === 0,
    minGroup: slot.minGroup,
    hosts: slot.hosts,
    /** Only hosts whose story is published may be named to the public. */
    publicHosts: slot.hosts.filter((h) => h.published),
    hostNames: slot.hosts.map((h) => h.name).join(', '),
    activities: slot.activities,
    bring: slot.bring,
    provided: slot.provided,
    accessibility: slot.accessibility,
    supervisorName: slot.supervisorName,
    supervisorPhone: slot.supervisorPhone,
    cancelReason: slot.cancelReason,
    bookingWindow: bookingWindowText(slot, t, locale),
  };
}

/** "Går att boka från 20 mars till och med 31 mars 2027", or null when booking is open until the start. */
function bookingWindowText(slot: Slot, t: Translate, locale: Locale): string | null {
  const opens = slot.bookingOpensAt ? formatDate(slot.bookingOpensAt, locale) : null;
  // Stored as the instant booking closes (the next midnight); shown as the last day one can book.
  const lastDay = slot.bookingClosesAt ? formatDate(fromDbInstant(slot.bookingClosesAt).minus({ milliseconds: 1 }), locale) : null;
  if (opens && lastDay) return t('slots.window_both', { opens, lastDay });
  if (opens) return t('slots.window_opens', { opens });
  if (lastDay) return t('slots.window_last_day', { lastDay });
  return null;
}
export type SlotView = ReturnType<typeof slotView>;

export function seatsLeftText(seatsLeft: number, t: Translate): string {
  if (seatsLeft === 0) return t('slots.full');
  return seatsLeft === 1 ? t('slots.seat_left') : t('slots.seats_left', { count: seatsLeft });
}
