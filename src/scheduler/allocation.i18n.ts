import { defineMessages } from '../i18n/define.ts';

/** The allocation: runs, preview, commit, results and their explanations. */
export const allocation = defineMessages({
  sv: {
    'allocation.title': 'Fördelning',
  },
  en: {
    'allocation.title': 'Allocation',
  },
});
