import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/errors.ts';
import { upcomingSlotsOfStory, type Slot } from '../slots/slots.service.ts';
import * as repo from './stories.repository.ts';
import { getPublishedStory, type Story } from './stories.service.ts';

export interface StoryPage {
  story: Story;
  company: { id: string; name: string; municipality: string };
  /** The published slots this person hosts that have not started yet. */
  slots: Slot[];
}

/** Everything a pupil sees on a story's page; only published stories exist for them. */
export async function storyPage(db: Db, storyId: string, now: DateTime): Promise<StoryPage> {
  const story = await getPublishedStory(db, storyId);
  const [company, slots] = await Promise.all([repo.findStoryCompany(db, story.companyId), upcomingSlotsOfStory(db, story.id, now)]);
  if (!company) throw notFound();
  return { story, company, slots };
}
