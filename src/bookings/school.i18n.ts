import { defineMessages } from '../i18n/define.ts';

/** Messages for counsellors' booking pages and network follow-up. */
export const schoolBookings = defineMessages({
  sv: {},
  en: {},
});
