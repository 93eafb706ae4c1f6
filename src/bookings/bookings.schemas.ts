import { z } from 'zod';
import { optionalText, plainString } from '../http/fields.ts';

const id = plainString().trim().min(1, 'field.required').max(64, 'field.invalid');

export const bookingRequestSchema = z
  .object({
    slotId: id,
    pupilId: id,
    waitlist: z.boolean().optional().default(false).describe('When the slot is full, put the pupil on its waitlist (201 with status "waitlisted") instead of answering 409 slot_full.'),
  })
  .strict();

export const cancelBookingRequestSchema = z.object({ reason: optionalText(500) }).strict();

export const bookingQuerySchema = z
  .object({
    slotId: id.optional().describe('Every booking of this slot that the caller may see (never paged).'),
    pupilId: id.optional().describe("Every booking of this pupil (the caller's school's own)."),
  })
  .refine((q) => (q.slotId === undefined) !== (q.pupilId === undefined), { message: 'bookings.query_one', path: ['slotId'] });

export const bookingStatusSchema = z.enum(['confirmed', 'waitlisted', 'cancelled']);

export const bookingResponseSchema = z.object({
  id: z.string(),
  slotId: z.string(),
  pupilId: z.string(),
  status: bookingStatusSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  pupil: z.object({ name: z.string().describe('As the caller may see it: "Elev, 8B, <school> (kod …)" for a protected identity outside its school.'), className: z.string(), school: z.string() }),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  waitlistedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelledBy: z.enum(['school', 'company', 'system']).nullable(),
  cancelReason: z.string().nullable(),
  lateCancellation: z.boolean(),
  attendance: z.enum(['present', 'absent']).nullable(),
});

export const cancelBookingResponseSchema = bookingResponseSchema.extend({
  promoted: z.array(bookingResponseSchema).describe('Pupils moved up from the waitlist into the freed seat.'),
});

export const bookingListSchema = z.object({ bookings: z.array(bookingResponseSchema) });
