import { common } from './common.i18n.ts';
import { auth } from '../auth/auth.i18n.ts';
import { home } from '../home/home.i18n.ts';
import { organisations } from '../organisations/organisations.i18n.ts';
import { users } from '../users/users.i18n.ts';
import { mail } from '../mail/mail.i18n.ts';
import { api } from '../api/api.i18n.ts';
import { stories } from '../stories/stories.i18n.ts';
import { slots } from '../slots/slots.i18n.ts';
import { pupils } from '../pupils/pupils.i18n.ts';
import { bookings } from '../bookings/bookings.i18n.ts';
import { schoolBookings } from '../bookings/school.i18n.ts';
import { companyBookings } from '../bookings/company.i18n.ts';
import { pupilPage } from '../bookings/pupil-page.i18n.ts';
import { rounds } from '../scheduler/rounds.i18n.ts';
import { allocation } from '../scheduler/allocation.i18n.ts';

/**
 * One typed dictionary, assembled from each feature's part. Swedish is the default and the
 * source of the key type; English is checked to have the same keys.
 */
export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sv';

const parts = [common, auth, home, organisations, users, mail, api, stories, slots, pupils, bookings, schoolBookings, companyBookings, pupilPage, rounds, allocation] as const;

type Part = (typeof parts)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type SvMessages = UnionToIntersection<Part['sv']>;
export type MessageKey = keyof SvMessages & string;

const dictionaries: Record<Locale, Record<string, string>> = { sv: {}, en: {} };
for (const part of parts) {
  for (const locale of LOCALES) {
    for (const [key, value] of Object.entries(part[locale])) {
      if (key in dictionaries[locale]) throw new Error(`i18n key defined twice: ${key}`);
      dictionaries[locale][key] = value;
    }
  }
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLocale(value: unknown): value is Locale {
  return value === 'sv' || value === 'en';
}

export function isMessageKey(value: string): value is MessageKey {
  return value in dictionaries.sv;
}

export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, params) => {
    const template = dictionary[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      params[name] === undefined ? match : String(params[name]),
    );
  };
}
