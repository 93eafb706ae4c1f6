import { defineMessages } from '../i18n/define.ts';

/** Messages for the company's participants, day list and attendance. */
export const companyBookings = defineMessages({
  sv: {},
  en: {},
});
