import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import type { Portrait } from './portrait.ts';
import * as repo from './stories.repository.ts';
import { getOwnStory, getStory } from './stories.service.ts';

/** Stores a story's portrait (already checked and re-encoded by preparePortrait), replacing any earlier one. */
export async function setPortrait(db: Db, actor: SessionUser, storyId: string, portrait: Portrait, now: DateTime): Promise<void> {
  await getOwnStory(db, actor, storyId);
  await repo.upsertPortrait(db, { story_id: storyId, image: portrait.image, width: portrait.width, height: portrait.height, updated_at: toDbInstant(now) });
}

export async function removePortrait(db: Db, actor: SessionUser, storyId: string): Promise<void> {
  await getOwnStory(db, actor, storyId);
  await repo.deletePortrait(db, storyId);
}

/**
 * A portrait as the viewer may see it: everyone while the story is published, the story's own
 * company coordinators always (to check it before publishing). Otherwise it does not exist.
 */
export async function portraitFor(db: Db, viewer: SessionUser | null, storyId: string): Promise<{ image: Buffer; published: boolean }> {
  const story = await getStory(db, storyId);
  const ownCompany = viewer?.role === 'company_coordinator' && viewer.companyId === story.companyId;
  if (!story.published && !ownCompany) throw notFound();
  const row = await repo.findPortrait(db, storyId);
  if (!row) throw notFound();
  return { image: Buffer.from(row.image), published: story.published };
}
