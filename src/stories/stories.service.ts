import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { newId } from '../auth/secrets.ts';
import type { SessionUser } from '../http/context.ts';
import { forbidden, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { pathProblems, type FieldCode, type PathKind, type PathStep, type ProgrammeCode } from './path.ts';
import * as repo from './stories.repository.ts';
import type { LibraryFilter, StoryInput } from './stories.schemas.ts';

export interface Consent {
  person: string;
  recordedBy: string | null;
  at: string;
  withdrawnAt: string | null;
}

export interface Story {
  id: string;
  companyId: string;
  name: string;
  title: string;
  pronoun: string | null;
  path: PathStep[];
  interest: string;
  dayAtWork: string;
  society: string;
  wishAt14: string;
  fields: FieldCode[];
  published: boolean;
  consent: Consent | null;
  hasPortrait: boolean;
  updatedAt: string;
}

/** Standing consent: given and not withdrawn. Only then may a story be published. */
export const hasConsent = (story: { consent: Consent | null }) => Boolean(story.consent && !story.consent.withdrawnAt);

function toStory(row: repo.StoryRow, steps: repo.StepRow[], fields: string[], hasPortrait: boolean): Story {
  return {
    id: row.id,
    companyId: row.company_id,
    name: row.display_name,
    title: row.role_title,
    pronoun: row.pronoun,
    path: steps.map((s) => ({ kind: s.kind as PathKind, title: s.title, place: s.place, programme: s.programme as ProgrammeCode | null, fromYear: s.from_year, toYear: s.to_year })),
    interest: row.interest_text,
    dayAtWork: row.day_text,
    society: row.society_text,
    wishAt14: row.wish_text,
    fields: fields as FieldCode[],
    published: row.published === 1,
    consent: row.consent_at ? { person: row.consent_person ?? '', recordedBy: row.consent_recorded_by, at: row.consent_at, withdrawnAt: row.consent_withdrawn_at } : null,
    hasPortrait,
    updatedAt: row.updated_at,
  };
}

/** Loads full stories (path, fields, portrait flag) for rows, in the rows' order. */
export async function hydrate(db: Db, rows: repo.StoryRow[]): Promise<Story[]> {
  const ids = rows.map((r) => r.id);
  const [steps, fields, portraits] = await Promise.all([repo.listSteps(db, ids), repo.listFields(db, ids), repo.storiesWithPortrait(db, ids)]);
  return rows.map((row) => toStory(row, steps.filter((s) => s.story_id === row.id), fields.get(row.id) ?? [], portraits.has(row.id)));
}

export async function getStory(db: Db, id: string): Promise<Story> {
  const row = await repo.findStoryById(db, id);
  if (!row) throw notFound();
  return (await hydrate(db, [row]))[0]!;
}

/** A story as the public sees it: only when published. */
export async function getPublishedStory(db: Db, id: string): Promise<Story> {
  const story = await getStory(db, id);
  if (!story.published) throw notFound();
  return story;
}

function assertCompanyCoordinator(actor: SessionUser): string {
  if (actor.role !== 'company_coordinator' || !actor.companyId) throw forbidden();
  return actor.companyId;
}

/** The company's own story, for its coordinators. */
export async function getOwnStory(db: Db, actor: SessionUser, id: string): Promise<Story> {
  const companyId = assertCompanyCoordinator(actor);
  const story = await getStory(db, id);
  if (story.companyId !== companyId) throw forbidden();
  return story;
}

function validatePath(input: StoryInput, now: DateTime): void {
  const fields: FieldProblems = {};
  for (const problem of pathProblems(input.path, now.setZone('Europe/Stockholm').year)) {
    fields[`path.${problem.index}.${problem.field}`] ??= { key: problem.key };
  }
  if (Object.keys(fields).length > 0) throw invalidFields(fields);
}

function stepRows(storyId: string, path: PathStep[]): repo.StepRow[] {
  return path.map((step, position) => ({
    id: newId(),
    story_id: storyId,
    position,
    kind: step.kind,
    programme: step.kind === 'gymnasium' ? (step.programme ?? null) : null,
    title: step.title,
    place: step.place ?? null,
    from_year: step.fromYear ?? null,
    to_year: step.toYear ?? null,
  }));
}

/** The columns a story's form sets, on create and on edit alike. */
function storyContent(input: StoryInput) {
  return {
    display_name: input.name,
    role_title: input.title,
    pronoun: input.pronoun,
    interest_text: input.interest ?? '',
    day_text: input.dayAtWork,
    society_text: input.society ?? '',
    wish_text: input.wishAt14 ?? '',
    published: input.published ? 1 : 0,
  };
}

/**
 * A company coordinator writes a story. Publishing needs the professional's consent: checking
 * "consent" (UI) or publishing through the API records it as given by the named person, by
 * this coordinator, now.
 */
export async function createStory(db: Db, actor: SessionUser, input: StoryInput, now: DateTime): Promise<Story> {
  const companyId = assertCompanyCoordinator(actor);
  validatePath(input, now);
  const at = toDbInstant(now);
  const consent = input.consent || input.published;
  const id = newId();
  await repo.insertStory(db, {
    id,
    company_id: companyId,
    ...storyContent(input),
    consent_person: consent ? input.name : null,
    consent_recorded_by: consent ? actor.id : null,
    consent_at: consent ? at : null,
    consent_withdrawn_at: null,
    created_at: at,
    updated_at: at,
  });
  await repo.replacePathAndFields(db, id, stepRows(id, input.path), input.fields);
  return getStory(db, id);
}

/** Edits a story's texts, path and fields. Publishing here still needs standing consent. */
export async function updateStory(db: Db, actor: SessionUser, id: string, input: StoryInput, now: DateTime): Promise<Story> {
  const story = await getOwnStory(db, actor, id);
  validatePath(input, now);
  const at = toDbInstant(now);
  const giveConsent = input.consent && !hasConsent(story);
  if (input.published && !hasConsent(story) && !giveConsent) throw invalidFields({ published: { key: 'story.consent_needed' } });
  await repo.updateStory(db, id, {
    ...storyContent(input),
    ...(giveConsent ? { consent_person: input.name, consent_recorded_by: actor.id, consent_at: at, consent_withdrawn_at: null } : {}),
    updated_at: at,
  });
  await repo.replacePathAndFields(db, id, stepRows(id, input.path), input.fields);
  return getStory(db, id);
}

export async function recordConsent(db: Db, actor: SessionUser, id: string, person: string, now: DateTime): Promise<void> {
  await getOwnStory(db, actor, id);
  const at = toDbInstant(now);
  await repo.updateStory(db, id, { consent_person: person, consent_recorded_by: actor.id, consent_at: at, consent_withdrawn_at: null, updated_at: at });
}

/** Withdrawn consent unpublishes the story in the same statement: it is never shown again without new consent. */
export async function withdrawConsent(db: Db, actor: SessionUser, id: string, now: DateTime): Promise<void> {
  const story = await getOwnStory(db, actor, id);
  if (!hasConsent(story)) return;
  const at = toDbInstant(now);
  await repo.updateStory(db, id, { published: 0, consent_withdrawn_at: at, updated_at: at });
}

export async function setPublished(db: Db, actor: SessionUser, id: string, published: boolean, now: DateTime): Promise<void> {
  const story = await getOwnStory(db, actor, id);
  if (published && !hasConsent(story)) throw invalidFields({ published: { key: 'story.consent_needed' } });
  await repo.updateStory(db, id, { published: published ? 1 : 0, updated_at: toDbInstant(now) });
}

export async function listCompanyStories(db: Db, companyId: string): Promise<Story[]> {
  return hydrate(db, await repo.listStoriesOfCompany(db, companyId));
}

export interface LibraryEntry {
  id: string;
  name: string;
  title: string;
  pronoun: string | null;
  companyName: string;
  municipality: string;
  teaser: string;
  hasPortrait: boolean;
}

/** The public story library of one network, with filters. */
export async function library(db: Db, networkId: string, filter: LibraryFilter, limit = 200): Promise<LibraryEntry[]> {
  const rows = await repo.listLibrary(db, networkId, filter, limit);
  const portraits = await repo.storiesWithPortrait(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    title: r.role_title,
    pronoun: r.pronoun,
    companyName: r.company_name,
    municipality: r.municipality,
    teaser: r.day_text.length > 160 ? `${r.day_text.slice(0, 157).trimEnd()}…` : r.day_text,
    hasPortrait: portraits.has(r.id),
  }));
}

export const libraryMunicipalities = async (db: Db, networkId: string) => (await repo.listLibraryMunicipalities(db, networkId)).map((r) => r.municipality);
