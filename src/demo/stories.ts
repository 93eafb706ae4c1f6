import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import type { FieldCode, PathStep } from '../stories/path.ts';
import { storyInputSchema } from '../stories/stories.schemas.ts';
import { createStory } from '../stories/stories.service.ts';
import type { CompanyKey } from './organisations.ts';
import { skaraborgStories } from './stories.skaraborg.ts';
import { varmlandStories } from './stories.varmland.ts';

export interface DemoStory {
  key: string;
  company: CompanyKey;
  name: string;
  title: string;
  pronoun: string;
  path: PathStep[];
  interest: string;
  day: string;
  society: string;
  wish: string;
  fields: FieldCode[];
  /** Published with the person's consent unless it says otherwise. */
  state?: 'draft_without_consent' | 'draft_with_consent';
}

export const demoStories: readonly DemoStory[] = [...varmlandStories, ...skaraborgStories];

/**
 * Writes every demo story through the same service (and validation) as the story form, each
 * as its company's coordinator. Returns the story id for each key.
 */
export async function createDemoStories(db: Db, coordinatorOf: (company: CompanyKey) => SessionUser, now: DateTime): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const story of demoStories) {
    const input = storyInputSchema.parse({
      name: story.name,
      title: story.title,
      pronoun: story.pronoun,
      path: story.path,
      interest: story.interest,
      dayAtWork: story.day,
      society: story.society,
      wishAt14: story.wish,
      fields: story.fields,
      published: !story.state,
      consent: story.state !== 'draft_without_consent',
    });
    const created = await createStory(db, coordinatorOf(story.company), input, now);
    ids.set(story.key, created.id);
  }
  return ids;
}
