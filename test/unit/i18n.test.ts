import { describe, expect, it } from 'vitest';
import { common } from '../../src/i18n/common.i18n.ts';
import { isMessageKey, translator } from '../../src/i18n/index.ts';
import { errorStatus } from '../../src/http/errors.ts';

describe('dictionary', () => {
  it('has an error message in both languages for every error code', () => {
    for (const code of Object.keys(errorStatus)) {
      expect(isMessageKey(`error.${code}`), code).toBe(true);
    }
  });

  it('fills in named parameters', () => {
    expect(translator('sv')('field.too_short', { field: 'lösenord', min: 10 })).toBe('lösenord måste ha minst 10 tecken.');
  });

  it('leaves an unknown parameter visible rather than printing "undefined"', () => {
    expect(translator('en')('field.required', {})).toBe('Fill in {field}.');
  });

  it('uses the same placeholders in Swedish and English for every message', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, sv] of Object.entries(common.sv)) {
      expect(placeholders(common.en[key as keyof typeof common.en]), key).toEqual(placeholders(sv));
    }
  });

  it('differs between the languages (English is really translated)', () => {
    expect(translator('sv')('nav.login')).toBe('Logga in');
    expect(translator('en')('nav.login')).toBe('Sign in');
  });
});
