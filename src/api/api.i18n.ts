import { defineMessages } from '../i18n/define.ts';

export const api = defineMessages({
  sv: {},
  en: {},
});
