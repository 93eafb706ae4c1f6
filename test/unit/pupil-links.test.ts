import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkTokenOf, pupilLinkUrl } from '../../src/pupils/links.ts';
import { CODE_PATTERN, randomCode } from '../../src/pupils/pupils.service.ts';

const SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';

describe('a pupil link token', () => {
  it('is base64url(HMAC-SHA256(secret, "pupil-link:" + salt))', () => {
    const expected = createHmac('sha256', SECRET).update('pupil-link:abc').digest().toString('base64url');
    expect(linkTokenOf(SECRET, 'abc')).toBe(expected);
  });

  it('is 43 URL-safe characters', () => {
    expect(linkTokenOf(SECRET, 'salt')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is the same for the same secret and salt, so the school can print it again', () => {
    expect(linkTokenOf(SECRET, 'salt')).toBe(linkTokenOf(SECRET, 'salt'));
  });

  it('changes with a new salt, which is how a new link kills the old one', () => {
    expect(linkTokenOf(SECRET, 'salt-1')).not.toBe(linkTokenOf(SECRET, 'salt-2'));
  });

  it('changes with the server secret, so the database alone makes no working link', () => {
    expect(linkTokenOf(SECRET, 'salt')).not.toBe(linkTokenOf(`${SECRET}-other`, 'salt'));
  });
});

describe('a pupil link address', () => {
  it('is the base address, /p/ and the token', () => {
    expect(pupilLinkUrl('https://prao.example.se', 'tok_EN-1')).toBe('https://prao.example.se/p/tok_EN-1');
  });
});

describe('a pupil code', () => {
  it('has six characters without look-alikes (no I, O, 0 or 1)', () => {
    for (let i = 0; i < 500; i++) expect(randomCode()).toMatch(CODE_PATTERN);
  });

  it('uses every character of its alphabet', () => {
    const seen = new Set(Array.from({ length: 400 }, () => randomCode()).join(''));
    expect(seen.size).toBe(32);
  });
});
