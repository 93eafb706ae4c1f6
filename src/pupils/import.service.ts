import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { ZONE } from '../time/stockholm.ts';
import { canonicalCsv, parsePupilCsv, pupilKey, type ImportRow, type ParsedImport } from './import.ts';
import * as repo from './pupils.repository.ts';
import { createPupils, schoolOf } from './pupils.service.ts';

/**
 * A class list goes in two steps: a preview of every row (nothing written), then the
 * counsellor confirms and the same content is checked again and written in one transaction.
 * The confirm step gets the rows back as a canonical CSV of only what is kept, so a personal
 * identity number in the original file is never sent back to the browser.
 */

export interface PreviewRow extends ImportRow {
  /** Already in the register (same names and class): left out, not an error. */
  skipped: boolean;
}

export interface ImportPreview extends Omit<ParsedImport, 'rows'> {
  rows: PreviewRow[];
  counts: { rows: number; added: number; skipped: number; withProblems: number };
  /** What the confirm step posts back; null while there are problems or nothing to add. */
  content: string | null;
}

export async function previewImport(db: Db, actor: SessionUser, input: Buffer | string, now: DateTime): Promise<ImportPreview> {
  const parsed = parsePupilCsv(input, now.setZone(ZONE).year);
  const existing = new Set((await repo.namesOfSchool(db, schoolOf(actor))).map((r) => pupilKey({ givenName: r.given_name, familyName: r.family_name, className: r.class_name })));
  const rows = parsed.rows.map((row): PreviewRow => ({ ...row, skipped: row.fields !== null && existing.has(pupilKey(row.fields)) }));
  const toAdd = rows.filter((r) => r.fields && !r.skipped).map((r) => r.fields!);
  return {
    ...parsed,
    rows,
    counts: {
      rows: rows.length,
      added: toAdd.length,
      skipped: rows.filter((r) => r.skipped).length,
      withProblems: rows.filter((r) => !r.fields).length,
    },
    content: parsed.ok && toAdd.length > 0 ? canonicalCsv(toAdd) : null,
  };
}

/**
 * Checks the confirmed content again and, when it is still without problems, adds its new
 * pupils. Call inside a transaction. Returns the preview (to show again when it is not ok).
 */
export async function confirmImport(db: Db, actor: SessionUser, content: string, now: DateTime): Promise<{ preview: ImportPreview; added: number }> {
  const preview = await previewImport(db, actor, content, now);
  if (!preview.ok) return { preview, added: 0 };
  const fresh = preview.rows.filter((r) => r.fields && !r.skipped).map((r) => r.fields!);
  await createPupils(db, actor, fresh, now);
  return { preview, added: fresh.length };
}
