import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/http/render.ts';
import { allows } from '../../src/http/routes.ts';
import { parseInput } from '../../src/http/validation.ts';
import { emailSchema, newPasswordSchema } from '../../src/users/users.schemas.ts';
import { messagesFor as messagesOf } from '../support/messages.ts';

const schema = z.object({ email: emailSchema, password: newPasswordSchema, name: z.string().trim().min(1).max(5) });

const messagesFor = (input: unknown, locale: 'sv' | 'en' = 'sv') => messagesOf(schema, input, locale);

describe('field messages', () => {
  it('names each wrong field in plain Swedish', () => {
    expect(messagesFor({ email: 'nope', password: 'short', name: '' })).toEqual({
      email: 'Skriv en riktig e-postadress i e-postadress, till exempel namn@skola.se.',
      password: 'Lösenord måste ha minst 10 tecken.',
      name: 'Fyll i namn.',
    });
  });

  it('says a missing field is missing', () => {
    expect(messagesFor({})).toMatchObject({ email: 'Fyll i e-postadress.', password: 'Fyll i lösenord.' });
  });

  it('says when a text is too long, in English when asked', () => {
    expect(messagesFor({ email: 'a@b.se', password: '0123456789', name: 'abcdefgh' }, 'en')).toEqual({ name: 'Name may have at most 5 characters.' });
  });

  it('lower-cases and trims e-mail addresses', () => {
    expect(parseInput(schema, { email: '  Anna@Skola.SE ', password: '0123456789', name: 'Anna' }).email).toBe('anna@skola.se');
  });
});

describe('access', () => {
  it.each([
    ['public', null, true],
    ['signed_in', null, false],
    ['signed_in', 'counsellor', true],
    [['platform_admin'], 'counsellor', false],
    [['platform_admin', 'network_coordinator'], 'network_coordinator', true],
  ] as const)('access %j for %s is %s', (access, role, expected) => {
    expect(allows(access, role)).toBe(expected);
  });
});

describe('return paths after sign-in', () => {
  it.each([
    ['/school', '/school'],
    ['/networks/1?x=2', '/networks/1?x=2'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
  ])('%s → %s', (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });
});
