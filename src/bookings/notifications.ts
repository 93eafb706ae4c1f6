import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { CancelParty } from '../db/types.ts';
import { isLocale, translator, type MessageKey, type Translate } from '../i18n/index.ts';
import { queueMail, type Mailer } from '../mail/mail.service.ts';
import { pupilName } from '../pupils/identity.ts';
import { formatRange } from '../time/stockholm.ts';
import * as repo from './bookings.repository.ts';

export interface NotifyDeps {
  mailer: Mailer;
  config: Config;
}

/** What happened, per slot and school; turned into mails (through the outbox) at the end of the change. */
export type Notice =
  | { kind: 'booked'; slotId: string; schoolId: string; pupilIds: string[]; status: 'confirmed' | 'waitlisted'; counsellorIds: string[] }
  | { kind: 'cancelled'; slotId: string; schoolId: string; pupilIds: string[]; party: CancelParty; reason: string | null; counsellorIds: string[]; confirmed: boolean }
  | { kind: 'promoted'; slotId: string; schoolId: string; pupilIds: string[]; counsellorIds: string[] }
  | { kind: 'reminder'; slotId: string; schoolId: string; pupilIds: string[]; counsellorIds: string[] };

interface Letter {
  subject: MessageKey;
  body: MessageKey;
}

const toSchool: Record<string, Letter> = {
  booked_confirmed: { subject: 'bookings.mail_booked_subject', body: 'bookings.mail_booked_body' },
  booked_waitlisted: { subject: 'bookings.mail_waitlisted_subject', body: 'bookings.mail_waitlisted_body' },
  cancelled_school: { subject: 'bookings.mail_cancelled_subject', body: 'bookings.mail_cancelled_body' },
  cancelled_company: { subject: 'bookings.mail_slot_cancelled_subject', body: 'bookings.mail_slot_cancelled_body' },
  cancelled_system: { subject: 'bookings.mail_cancelled_subject', body: 'bookings.mail_cancelled_body' },
  promoted: { subject: 'bookings.mail_promoted_subject', body: 'bookings.mail_promoted_body' },
  reminder: { subject: 'bookings.mail_reminder_subject', body: 'bookings.mail_reminder_school_body' },
};

const toCompany: Record<string, Letter> = {
  booked_confirmed: { subject: 'bookings.mail_company_booked_subject', body: 'bookings.mail_company_booked_body' },
  cancelled_school: { subject: 'bookings.mail_company_cancelled_subject', body: 'bookings.mail_company_cancelled_body' },
  cancelled_system: { subject: 'bookings.mail_company_cancelled_subject', body: 'bookings.mail_company_cancelled_body' },
  promoted: { subject: 'bookings.mail_company_booked_subject', body: 'bookings.mail_company_booked_body' },
  reminder: { subject: 'bookings.mail_reminder_subject', body: 'bookings.mail_reminder_company_body' },
};

function letterKey(notice: Notice): string {
  if (notice.kind === 'booked') return `booked_${notice.status}`;
  if (notice.kind === 'cancelled') return `cancelled_${notice.party}`;
  return notice.kind;
}

/**
 * Queues the mails for what happened, in the caller's transaction: the school's counsellors
 * (those who booked, or else all of the school's) and, when seats changed hands, the
 * company's coordinators. Companies see protected pupils only as "Elev, 8B, …".
 */
export async function sendNotices(db: Db, deps: NotifyDeps, notices: Notice[], now: DateTime): Promise<void> {
  const slots = new Map<string, repo.MailSlot>();
  for (const notice of notices) {
    if (notice.pupilIds.length === 0) continue;
    const slot = slots.get(notice.slotId) ?? (await repo.slotForMail(db, notice.slotId));
    slots.set(slot.id, slot);
    const pupils = await repo.pupilsByIds(db, notice.pupilIds);
    const school = await repo.schoolName(db, notice.schoolId);
    const key = letterKey(notice);
    const schoolLetter = toSchool[key];
    if (schoolLetter) {
      for (const recipient of await schoolRecipients(db, notice)) {
        const t = translatorFor(recipient.locale);
        // Mails rest in the outbox, which the platform admin can read: a protected pupil is named by code.
        const names = pupils.map((p) => `- ${pupilName(nameable(p), p.protected_identity === 1 ? 'follow_up' : 'school', school, t)} (${p.class_name})`).join('\n');
        await send(db, deps, recipient, t, schoolLetter, slot, { school, pupils: names, count: pupils.length, reason: reasonText(notice, t), url: `${deps.config.baseUrl}/school/bookings` }, now);
      }
    }
    const companyLetter = toCompany[key];
    const seatsChanged = notice.kind !== 'cancelled' || notice.confirmed;
    if (companyLetter && seatsChanged) {
      for (const recipient of await repo.coordinatorsOfCompany(db, slot.company_id)) {
        const t = translatorFor(recipient.locale);
        const names = pupils.map((p) => `- ${pupilName(nameable(p), 'outside', school, t)}`).join('\n');
        await send(db, deps, recipient, t, companyLetter, slot, { school, pupils: names, count: pupils.length, reason: reasonText(notice, t), url: `${deps.config.baseUrl}/company/participants/${slot.id}` }, now);
      }
    }
  }
}

async function schoolRecipients(db: Db, notice: Notice): Promise<repo.Recipient[]> {
  const named = (await Promise.all([...new Set(notice.counsellorIds)].map((id) => repo.activeUser(db, id)))).filter((r): r is repo.Recipient => r !== undefined);
  return named.length > 0 ? named : repo.counsellorsOfSchool(db, notice.schoolId);
}

const translatorFor = (locale: string): Translate => translator(isLocale(locale) ? locale : 'sv');

const reasonText = (notice: Notice, t: Translate) => (notice.kind === 'cancelled' && notice.reason ? notice.reason : t('bookings.no_reason'));

export const nameable = (p: repo.PupilRow) => ({
  givenName: p.given_name,
  familyName: p.family_name,
  className: p.class_name,
  protectedIdentity: p.protected_identity === 1,
  code: p.code,
});

async function send(db: Db, deps: NotifyDeps, to: repo.Recipient, t: Translate, letter: Letter, slot: repo.MailSlot, params: Record<string, string | number>, now: DateTime) {
  const locale = isLocale(to.locale) ? to.locale : 'sv';
  const when = formatRange(slot.starts_at, slot.ends_at, locale);
  const place = [slot.site_name, slot.site_address, slot.site_municipality].filter(Boolean).join(', ');
  const all = { ...params, name: to.name, company: slot.company_name, when, place, slot: `${slot.company_name}, ${when}` };
  await queueMail(db, deps.mailer, { to: to.email, subject: t(letter.subject, all), text: t(letter.body, all) }, now);
}
