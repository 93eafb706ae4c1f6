import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../src/bookings/booking.ts';
import { bookingUid, buildCalendar, feedItems, RECENT_DAYS, type CalendarItem } from '../../src/bookings/calendar.ts';
import { translator } from '../../src/i18n/index.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';

const BASE_URL = 'https://prao.example.se';
const NOW = DateTime.fromISO('2027-03-16T08:00:00.000Z', { zone: 'utc' });
const t = translator('sv');

function slot(startsAt: string, endsAt: string, extra: Partial<Slot> = {}): Slot {
  return {
    id: 'slot-1',
    companyId: 'company-1',
    companyName: 'Nordljus Energi AB',
    seriesId: null,
    site: { id: 'site-1', name: 'Huvudkontoret', address: 'Storgatan 1', municipality: 'Karlstad', meetingPoint: 'Receptionen', directions: null },
    format: 'shadow_day',
    startsAt,
    endsAt,
    capacity: 4,
    minGroup: null,
    bookedCount: 1,
    seatsLeft: 3,
    status: 'published',
    grades: ['8', '9'],
    hosts: [],
    activities: null,
    bring: 'Matsäck',
    provided: null,
    accessibility: null,
    supervisorName: null,
    supervisorPhone: null,
    cancelReason: null,
    bookingOpensAt: null,
    bookingClosesAt: null,
    publishedAt: '2027-03-01T08:00:00.000Z',
    ...extra,
  };
}

function booking(s: Slot, extra: Partial<Booking> = {}): Booking {
  return {
    id: 'b0d1e5c4-0000-4000-8000-000000000001',
    slotId: s.id,
    pupilId: 'pupil-1',
    schoolId: 'school-1',
    status: 'confirmed',
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    waitlistedAt: null,
    confirmedAt: '2027-03-10T08:00:00.000Z',
    cancelledAt: null,
    cancelledParty: null,
    cancelReason: null,
    cancelledLate: false,
    attendance: null,
    createdAt: '2027-03-10T08:00:00.000Z',
    updatedAt: '2027-03-10T08:00:00.000Z',
    ...extra,
  };
}

const item = (s: Slot, extra: Partial<Booking> = {}): CalendarItem => ({ slot: s, booking: booking(s, extra) });
const april = slot('2027-04-06T06:00:00.000Z', '2027-04-06T10:00:00.000Z');

/** The calendar's content lines, unfolded (RFC 5545: a line starting with a space continues the one before). */
function lines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
}
const property = (ics: string, name: string) => lines(ics).filter((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));

describe('buildCalendar', () => {
  it('writes a PUBLISH calendar with one event per booking, in CRLF lines', () => {
    const ics = buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(property(ics, 'METHOD')).toEqual(['METHOD:PUBLISH']);
    expect(property(ics, 'BEGIN')).toEqual(['BEGIN:VCALENDAR', 'BEGIN:VEVENT']);
  });

  it('names the event "Prao: <company>" and places it at the address', () => {
    const ics = buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t });
    expect(property(ics, 'SUMMARY')).toEqual(['SUMMARY:Prao: Nordljus Energi AB']);
    expect(property(ics, 'LOCATION')).toEqual(['LOCATION:Huvudkontoret\\, Storgatan 1\\, Karlstad']);
  });

  it('writes the times in UTC', () => {
    const ics = buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t });
    expect(property(ics, 'DTSTART')).toEqual(['DTSTART:20270406T060000Z']);
    expect(property(ics, 'DTEND')).toEqual(['DTEND:20270406T100000Z']);
  });

  it('puts 08.00 Stockholm on Monday 29 March 2027 (summer time from the day before) at 06.00Z', () => {
    const s = slot('2027-03-29T06:00:00.000Z', '2027-03-29T10:00:00.000Z');
    expect(property(buildCalendar([item(s)], { baseUrl: BASE_URL, now: NOW, t }), 'DTSTART')).toEqual(['DTSTART:20270329T060000Z']);
  });

  it('puts 08.00 Stockholm on Monday 25 October 2027 (winter time from the day before) at 07.00Z', () => {
    const s = slot('2027-10-25T07:00:00.000Z', '2027-10-25T11:00:00.000Z');
    expect(property(buildCalendar([item(s)], { baseUrl: BASE_URL, now: NOW, t }), 'DTSTART')).toEqual(['DTSTART:20271025T070000Z']);
  });

  it('escapes commas, semicolons, backslashes and newlines in text', () => {
    const s = slot(april.startsAt, april.endsAt, {
      site: { ...april.site, meetingPoint: 'Entré B, plan 2; fråga i receptionen', directions: 'Buss 3\nkliv av vid C:\\torget' },
      bring: 'Skor, matsäck',
    });
    const [description] = property(buildCalendar([item(s)], { baseUrl: BASE_URL, now: NOW, t }), 'DESCRIPTION');
    expect(description).toBe(
      'DESCRIPTION:Här möts ni: Entré B\\, plan 2\\; fråga i receptionen\\nSå hittar du dit: Buss 3\\nkliv av vid C:\\\\torget\\nTa med: Skor\\, matsäck',
    );
  });

  it('folds long lines at 75 octets without breaking them apart', () => {
    const s = slot(april.startsAt, april.endsAt, { bring: 'Arbetsskor med stålhätta, varma kläder, matsäck och en vattenflaska som räcker hela dagen' });
    const ics = buildCalendar([item(s)], { baseUrl: BASE_URL, now: NOW, t });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    expect(property(ics, 'DESCRIPTION')[0]).toContain('vattenflaska som räcker hela dagen');
  });

  it('leaves DESCRIPTION out when there is nothing to say', () => {
    const s = slot(april.startsAt, april.endsAt, { site: { ...april.site, meetingPoint: null }, bring: null });
    expect(property(buildCalendar([item(s)], { baseUrl: BASE_URL, now: NOW, t }), 'DESCRIPTION')).toEqual([]);
  });

  it('marks a cancelled booking STATUS:CANCELLED with a higher SEQUENCE', () => {
    const ics = buildCalendar([item(april, { status: 'cancelled', cancelledAt: '2027-03-15T08:00:00.000Z' })], { baseUrl: BASE_URL, now: NOW, t });
    expect(property(ics, 'STATUS')).toEqual(['STATUS:CANCELLED']);
    expect(property(ics, 'SEQUENCE')).toEqual(['SEQUENCE:1']);
  });

  it('marks a standing booking STATUS:CONFIRMED, SEQUENCE:0', () => {
    const ics = buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t });
    expect(property(ics, 'STATUS')).toEqual(['STATUS:CONFIRMED']);
    expect(property(ics, 'SEQUENCE')).toEqual(['SEQUENCE:0']);
  });

  it('asks subscribed calendars to refresh only for a feed', () => {
    expect(lines(buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t, feed: true })).some((l) => l.startsWith('REFRESH-INTERVAL'))).toBe(true);
    expect(lines(buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t })).some((l) => l.startsWith('REFRESH-INTERVAL'))).toBe(false);
  });
});

describe('bookingUid', () => {
  it('is the booking id at the host of the base address', () => {
    expect(bookingUid('abc', 'https://prao.example.se:8443/x')).toBe('abc@prao.example.se');
  });

  it('stays the same when the calendar is built again later and the booking changes', () => {
    const first = property(buildCalendar([item(april)], { baseUrl: BASE_URL, now: NOW, t }), 'UID');
    const later = property(
      buildCalendar([item(april, { status: 'cancelled', cancelledAt: '2027-03-20T08:00:00.000Z', updatedAt: '2027-03-20T08:00:00.000Z' })], { baseUrl: BASE_URL, now: NOW.plus({ days: 5 }), t }),
      'UID',
    );
    expect(first).toEqual(['UID:b0d1e5c4-0000-4000-8000-000000000001@prao.example.se']);
    expect(later).toEqual(first);
  });

  it('differs between two bookings of the same slot', () => {
    const ics = buildCalendar([item(april), item(april, { id: 'b0d1e5c4-0000-4000-8000-000000000002' })], { baseUrl: BASE_URL, now: NOW, t });
    expect(new Set(property(ics, 'UID')).size).toBe(2);
  });
});

describe('feedItems', () => {
  const ago = (days: number) => toDbInstant(NOW.minus({ days }));
  const past = (days: number) => slot(ago(days), toDbInstant(NOW.minus({ days }).plus({ hours: 4 })));

  it('holds upcoming confirmed bookings in time order', () => {
    const later = slot('2027-05-03T06:00:00.000Z', '2027-05-03T10:00:00.000Z', { id: 'slot-2' });
    const result = feedItems([item(later, { id: 'b2' }), item(april, { id: 'b1' })], NOW);
    expect(result.map((i) => i.booking.id)).toEqual(['b1', 'b2']);
  });

  it(`holds confirmed bookings that ended in the last ${RECENT_DAYS} days, not older ones`, () => {
    const result = feedItems([item(past(RECENT_DAYS - 1), { id: 'recent' }), item(past(RECENT_DAYS + 1), { id: 'old' })], NOW);
    expect(result.map((i) => i.booking.id)).toEqual(['recent']);
  });

  it('leaves out waitlist places', () => {
    expect(feedItems([item(april, { status: 'waitlisted', confirmedAt: null })], NOW)).toEqual([]);
  });

  it('keeps a recently cancelled booking that had a seat, so calendars cross it out', () => {
    const cancelled = item(april, { status: 'cancelled', cancelledAt: ago(2) });
    expect(feedItems([cancelled], NOW)).toEqual([cancelled]);
  });

  it('drops a cancelled booking once the cancellation is old, or when it never had a seat', () => {
    const old = item(april, { id: 'old', status: 'cancelled', cancelledAt: ago(RECENT_DAYS + 1) });
    const waitlistOnly = item(april, { id: 'waitlist', status: 'cancelled', cancelledAt: ago(1), confirmedAt: null });
    expect(feedItems([old, waitlistOnly], NOW)).toEqual([]);
  });
});
