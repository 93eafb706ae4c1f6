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
 * A pupil's name as `audience` may see it. Inside the pupil's own school: the name. Outside
 * (a company, a network coordinator): the name too, unless the pupil has a protected identity,
 * who is then only "Elev, 8B, <school> (kod K7Q2MX)". Gender and birth year are never shown
 * outside the school, so they are not even taken here.
 */
export function pupilName(pupil: NameablePupil, audience: 'school' | 'outside', schoolName: string, t: Translate): string {
  if (audience === 'outside' && pupil.protectedIdentity) {
    return t('pupils.protected_label', { className: pupil.className, school: schoolName, code: pupil.code });
  }
  return `${pupil.givenName} ${pupil.familyName}`;
}
