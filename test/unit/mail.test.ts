import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMinutes } from '../../src/mail/mail.service.ts';

describe('mail retry schedule', () => {
  it('waits longer after each failure: 1, 4, 16, 64, 256 minutes', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMinutes)).toEqual([1, 4, 16, 64, 256]);
  });

  it('gives up after a bounded number of attempts, within about six hours', () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMinutes(i + 1)).reduce((a, b) => a + b, 0);
    expect(MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(6 * 60);
  });
});
