import { defineMessages } from '../i18n/define.ts';

export const api = defineMessages({
  sv: {
    'error.unsupported_media_type': 'Innehållet gick inte att läsa i det format det skickades. API:t tar emot JSON (Content-Type: application/json).',
    'api.idempotency_key_invalid': 'Idempotency-Key måste vara 1–255 synliga tecken (till exempel ett UUID).',
  },
  en: {
    'error.unsupported_media_type': 'The content could not be read in the format it was sent. The API accepts JSON (Content-Type: application/json).',
    'api.idempotency_key_invalid': 'Idempotency-Key must be 1–255 visible characters (a UUID, for example).',
  },
});
