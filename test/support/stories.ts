import type { SessionUser } from '../../src/http/context.ts';
import { storyInputSchema } from '../../src/stories/stories.schemas.ts';
import { createStory, type Story } from '../../src/stories/stories.service.ts';
import type { TestContext } from './app.ts';

/** Role stories for tests: a whole story as the service takes it, and as the company's form posts it. */

export function storyInput(overrides: Record<string, unknown> = {}) {
  return storyInputSchema.parse({
    name: 'Amina',
    title: 'Elingenjör',
    path: [
      { kind: 'grundskola', title: 'Högstadiet', place: 'Kil', fromYear: 2007, toYear: 2010 },
      { kind: 'gymnasium', title: 'Teknikprogrammet', place: 'Karlstad', programme: 'TE', fromYear: 2010, toYear: 2013 },
      { kind: 'job', title: 'Elingenjör på Nordljus', fromYear: 2018 },
    ],
    interest: 'Jag byggde en radio med min morfar.',
    dayAtWork: 'Jag ritar elsystem och pratar med montörerna.',
    society: 'Alla behöver el som fungerar.',
    wishAt14: 'Att man får ändra sig.',
    fields: ['electrical_energy'],
    published: true,
    ...overrides,
  });
}

export function makeStory(ctx: TestContext, coordinator: SessionUser, overrides: Record<string, unknown> = {}): Promise<Story> {
  return createStory(ctx.db, coordinator, storyInput(overrides), ctx.clock.now());
}

/** The company's story form as a browser posts it (flat names, path rows as path[i][field]). */
export function storyForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Sara',
    title: 'Drifttekniker',
    pronoun: 'hon',
    dayAtWork: 'Jag ser till att fjärrvärmen går.',
    interest: '',
    society: '',
    wishAt14: '',
    'path[0][kind]': 'gymnasium',
    'path[0][title]': 'El- och energiprogrammet',
    'path[0][place]': 'Skövde',
    'path[0][programme]': 'EE',
    'path[0][fromYear]': '2014',
    'path[0][toYear]': '2017',
    'path[1][kind]': 'job',
    'path[1][title]': 'Drifttekniker',
    'path[1][place]': '',
    'path[1][programme]': '',
    'path[1][fromYear]': '2017',
    'path[1][toYear]': '',
    ...overrides,
  };
}

/** Encodes a form as a browser does: a list becomes the same name repeated (as checkboxes send it). */
export function encodeForm(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) params.append(name, v);
  return params.toString();
}
