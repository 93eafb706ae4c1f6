import { randomBytes } from 'node:crypto';
import type { DateTime } from 'luxon';
import { newId } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { systemActor } from '../users/system-actor.ts';
import type { Gender, Grade, PupilFields } from './pupils.schemas.ts';
import * as repo from './pupils.repository.ts';

/** A pupil in the register. Pupils have no account: their school's counsellors keep them. */
export interface Pupil {
  id: string;
  schoolId: string;
  givenName: string;
  familyName: string;
  className: string;
  grade: Grade;
  birthYear: number | null;
  gender: Gender | null;
  protectedIdentity: boolean;
  /** Stands for the pupil where the name must not be shown (protected identity). */
  code: string;
  hasLink: boolean;
  linkIssuedAt: string | null;
}

export function toPupil(row: repo.PupilRow): Pupil {
  return {
    id: row.id,
    schoolId: row.school_id,
    givenName: row.given_name,
    familyName: row.family_name,
    className: row.class_name,
    grade: row.grade as Grade,
    birthYear: row.birth_year,
    gender: row.gender,
    protectedIdentity: row.protected_identity === 1,
    code: row.code,
    hasLink: row.link_hash !== null,
    linkIssuedAt: row.link_issued_at,
  };
}

/** Swedish order: Å, Ä, Ö after Z, and 9A before 10A. */
const collator = new Intl.Collator('sv-SE', { numeric: true, sensitivity: 'base' });
export const compareClassNames = (a: string, b: string): number => collator.compare(a, b);
export const comparePupils = (a: Pupil, b: Pupil): number =>
  collator.compare(a.className, b.className) || collator.compare(a.familyName, b.familyName) || collator.compare(a.givenName, b.givenName) || (a.id < b.id ? -1 : 1);

/** The school a counsellor keeps the register of; nobody else keeps one. */
export function schoolOf(actor: SessionUser): string {
  if (actor.role !== 'counsellor' || !actor.schoolId) throw forbidden();
  return actor.schoolId;
}

export async function getPupil(db: Db, id: string): Promise<Pupil> {
  const row = await repo.findPupilById(db, id);
  if (!row) throw notFound();
  return toPupil(row);
}

/** A pupil of the counsellor's own school; any other pupil is "not found", so ids reveal nothing. */
export async function getPupilOfSchool(db: Db, actor: SessionUser, id: string): Promise<Pupil> {
  const schoolId = schoolOf(actor);
  const row = await repo.findPupilById(db, id);
  if (!row || row.school_id !== schoolId) throw notFound();
  return toPupil(row);
}

export async function listPupilsOfSchool(db: Db, schoolId: string, options: { className?: string } = {}): Promise<Pupil[]> {
  const rows = await repo.listPupilRows(db, schoolId, options);
  return rows.map(toPupil).sort(comparePupils);
}

/** Pupils of the school with these ids (others are left out), in register order. */
export async function pupilsOfSchoolByIds(db: Db, schoolId: string, ids: readonly string[]): Promise<Pupil[]> {
  const rows = await repo.listPupilRows(db, schoolId, { ids: [...new Set(ids)] });
  return rows.map(toPupil).sort(comparePupils);
}

export interface SchoolClass {
  className: string;
  pupils: number;
}

export async function classesOfSchool(db: Db, schoolId: string): Promise<SchoolClass[]> {
  const rows = await repo.classCounts(db, schoolId);
  return rows.map((r) => ({ className: r.class_name, pupils: Number(r.pupils) })).sort((a, b) => compareClassNames(a.className, b.className));
}

// ---- codes: six characters from an alphabet without look-alikes (no I, O, 0, 1) ----

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_PATTERN = /^[A-HJ-NP-Z2-9]{6}$/;

export function randomCode(): string {
  // 32 letters: a byte's low five bits pick one without bias.
  return [...randomBytes(6)].map((b) => CODE_ALPHABET[b & 31]).join('');
}

/**
 * `n` codes no pupil has. With 32⁶ (about a billion) codes a clash is rare; a clashing code is
 * drawn again. The unique index is the guarantee: on SQLite every write transaction holds the
 * write lock from its start, so nobody can take a code between this check and the insert.
 */
export async function freshCodes(db: Db, n: number): Promise<string[]> {
  const codes = new Set<string>();
  for (let attempt = 0; codes.size < n; attempt++) {
    if (attempt >= 10) throw new Error('no free pupil codes found');
    const batch = new Set<string>();
    while (codes.size + batch.size < n) {
      const code = randomCode();
      if (!codes.has(code)) batch.add(code);
    }
    const taken = await repo.takenCodes(db, [...batch]);
    for (const code of batch) if (!taken.has(code)) codes.add(code);
  }
  return [...codes];
}

// ---- writing ----

function newRow(schoolId: string, fields: PupilFields, code: string, actor: SessionUser, at: string): repo.PupilRow {
  return {
    id: newId(),
    school_id: schoolId,
    given_name: fields.givenName,
    family_name: fields.familyName,
    class_name: fields.className,
    grade: fields.grade,
    birth_year: fields.birthYear,
    gender: fields.gender,
    protected_identity: fields.protectedIdentity ? 1 : 0,
    code,
    link_salt: null,
    link_hash: null,
    link_issued_at: null,
    // The platform itself (demo data, scripts) is no user row.
    created_by: actor.id === systemActor.id ? null : actor.id,
    created_at: at,
    updated_at: at,
  };
}

/** Adds pupils to the counsellor's school, all or none (call inside a transaction). */
export async function createPupils(db: Db, actor: SessionUser, list: readonly PupilFields[], now: DateTime): Promise<Pupil[]> {
  const schoolId = schoolOf(actor);
  const codes = await freshCodes(db, list.length);
  const at = toDbInstant(now);
  const rows = list.map((fields, i) => newRow(schoolId, fields, codes[i]!, actor, at));
  await repo.insertPupils(db, rows);
  return rows.map(toPupil);
}

export async function createPupil(db: Db, actor: SessionUser, fields: PupilFields, now: DateTime): Promise<Pupil> {
  const [pupil] = await createPupils(db, actor, [fields], now);
  return pupil!;
}

export async function updatePupil(db: Db, actor: SessionUser, id: string, fields: PupilFields, now: DateTime): Promise<Pupil> {
  const pupil = await getPupilOfSchool(db, actor, id);
  await repo.updatePupilRow(db, pupil.id, {
    given_name: fields.givenName,
    family_name: fields.familyName,
    class_name: fields.className,
    grade: fields.grade,
    birth_year: fields.birthYear,
    gender: fields.gender,
    protected_identity: fields.protectedIdentity ? 1 : 0,
    updated_at: toDbInstant(now),
  });
  return getPupil(db, pupil.id);
}
