import type { Translate } from '../i18n/index.ts';

/** What is needed to name a pupil to someone. */
export interface NameablePupil {
  givenName: string;
  familyName: string;
  className: string;
  protectedIdentity: boolean;
  code: string;
}

/**
 * Who is looking: the pupil's own school; the company the pupil visits (it needs a name to
 * greet and to mark attendance); or someone who follows up (network coordinators, the platform
 * admin, and anything stored where those can read it, such as the outbox), who never needs one.
 */
export type Audience = 'school' | 'outside' | 'follow_up';

/**
 * A pupil's name as `audience` may see it. The school and the company see the name, unless the
 * pupil has a protected identity: then the company sees only "Elev, 8B, <school> (kod K7Q2MX)".
 * Those who follow up always see only that. Gender and birth year are never shown outside the
 * school, so they are not even taken here.
 */
export function pupilName(pupil: NameablePupil, audience: Audience, schoolName: string, t: Translate): string {
  if (audience === 'follow_up' || (audience === 'outside' && pupil.protectedIdentity)) {
    return t('pupils.protected_label', { className: pupil.className, school: schoolName, code: pupil.code });
  }
  return `${pupil.givenName} ${pupil.familyName}`;
}
