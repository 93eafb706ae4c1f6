import { z } from 'zod';

/** Building blocks for form and API schemas, so every feature reads text the same way. */

/**
 * Control characters but tab, the line breaks (line feed, carriage return) and the two that
 * text pasted from a word processor carries as breaks (vertical tab: Word's soft line break;
 * form feed: a page break): C0 (U+0000–U+001F) and DEL. They are invisible, and some cannot be
 * stored at all: PostgreSQL refuses any text with a NUL, and SQLite's length() stops at one, so
 * a CHECK on the length fails.
 */
const CONTROL_CHARS = /[\u0000-\u0008\u000E-\u001F\u007F]/;

export const hasControlChars = (value: string): boolean => CONTROL_CHARS.test(value);

/** A vertical tab or form feed (pasted from a word processor) is a line break. */
const asLineBreaks = (value: string): string => value.replace(/[\u000B\u000C]/g, '\n');

/** Any string that can be stored and shown: no control characters but tab and line breaks. */
export const plainString = () =>
  z
    .string()
    .overwrite(asLineBreaks)
    .refine((value) => !hasControlChars(value), { message: 'field.control_chars', abort: true });

/** An id, in a path or a body: trimmed, 1–64 characters. */
export const idString = () => plainString().trim().min(1).max(64);

/** Required text: trimmed, not empty, at most `max` characters. */
export const text = (max: number) => plainString().trim().min(1).max(max);

/** Optional text: trimmed; empty, missing or null all become null. */
export const optionalText = (max: number) =>
  plainString()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
