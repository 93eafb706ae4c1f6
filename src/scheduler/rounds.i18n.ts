import { defineMessages } from '../i18n/define.ts';

/** Rounds and wishes: the coordinator's round pages, the counsellor's and the pupil's wish pages. */
export const rounds = defineMessages({
  sv: {
    'rounds.title': 'Praoomgångar',
  },
  en: {
    'rounds.title': 'Prao rounds',
  },
});
