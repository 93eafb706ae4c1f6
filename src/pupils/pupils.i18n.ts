import { defineMessages } from '../i18n/define.ts';

export const pupils = defineMessages({
  sv: {
    'pupils.protected_label': 'Elev, {className}, {school} (kod {code})',
  },
  en: {
    'pupils.protected_label': 'Pupil, {className}, {school} (code {code})',
  },
});
