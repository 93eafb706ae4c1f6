/** A feature's messages: Swedish first; English must have exactly the same keys (checked by tsc). */
export function defineMessages<const S extends Record<string, string>>(messages: {
  sv: S;
  en: { [K in keyof S]: string };
}): { sv: S; en: { [K in keyof S]: string } } {
  return messages;
}
