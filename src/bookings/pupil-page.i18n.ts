import { defineMessages } from '../i18n/define.ts';

/** Messages for the pupil's own page, calendar files and reminders. */
export const pupilPage = defineMessages({
  sv: {},
  en: {},
});
