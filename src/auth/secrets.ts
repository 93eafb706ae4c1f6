import argon2 from 'argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PasswordHashing } from '../config.ts';

export const newId = (): string => randomUUID();

/** 256 random bits, URL-safe: session cookies, API tokens, invitation and reset links. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256: a leaked table gives nobody a working token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashPassword(password: string, params: PasswordHashing): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...params });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

const dummyHashes = new Map<string, Promise<string>>();
/**
 * Verifies against a throwaway hash with the same cost, so an unknown e-mail takes as long as
 * a wrong password and sign-in timing does not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string, params: PasswordHashing): Promise<void> {
  const key = JSON.stringify(params);
  if (!dummyHashes.has(key)) dummyHashes.set(key, hashPassword(randomToken(), params));
  await verifyPassword(await dummyHashes.get(key)!, password);
}
