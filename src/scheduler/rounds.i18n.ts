import { defineMessages } from '../i18n/define.ts';

/** Rounds and wishes: the coordinator's round pages, the counsellor's and the pupil's wish pages. */
export const rounds = defineMessages({
  sv: {
    'rounds.title': 'Praoomgångar',
    'error.wishes_closed': 'Det går inte att ändra önskemålen nu: tiden för önskemål är slut eller har inte börjat.',
  },
  en: {
    'rounds.title': 'Prao rounds',
    'error.wishes_closed': 'Wishes cannot be changed now: the time for wishes is over or has not started.',
  },
});
