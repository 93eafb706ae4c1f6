import type { Request, Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import { invalidFields } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { redirectAfterPost } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { showStoryForm, showStoryList } from './edit-page.ts';
import { readStoryForm } from './story-form.ts';
import { storyInputSchema, type StoryInput } from './stories.schemas.ts';
import * as service from './stories.service.ts';

const COMPANY = ['company_coordinator'] as const;

/** The company's own stories: list, write, edit, consent and publishing (/company/stories…). */
export function companyStoryRoutes({ db }: AppDeps): RouteSpec[] {
  const storyId = (req: Request) => parseInput(idParamSchema, req.params).id;
  const own = (req: Request, id: string) => service.getOwnStory(db, req.ctx.user!, id);

  /** Reads and checks the posted form, then saves it; a problem shows the form again with each field's message. */
  async function saveForm(req: Request, res: Response, story: service.Story | null, save: (input: StoryInput) => Promise<string>) {
    const form = readStoryForm(req.body ?? {});
    await handleForm(
      res,
      async () => {
        const input = parseInput(storyInputSchema, form.input);
        const id = await save(input);
        redirectAfterPost(res, `/company/stories/${id}?notice=saved`);
      },
      (values, problems) => showStoryForm(res, { story, values, problems, rows: form.rows }),
    );
  }

  const setPublished = (published: boolean): RouteSpec['handler'] => async (req, res) => {
    const id = storyId(req);
    await handleForm(
      res,
      async () => {
        await db.transaction().execute((trx) => service.setPublished(trx, req.ctx.user!, id, published, req.ctx.now));
        redirectAfterPost(res, `/company/stories?notice=${published ? 'published' : 'unpublished'}`);
      },
      // Publishing without consent: the story's form, with the message at its "show" checkbox.
      async (_values, problems) => showStoryForm(res, { story: await own(req, id), problems }),
    );
  };

  return [
    { method: 'get', path: '/company/stories', access: COMPANY, handler: (_req, res) => showStoryList(db, res) },
    { method: 'get', path: '/company/stories/new', access: COMPANY, handler: (_req, res) => showStoryForm(res, { story: null }) },
    {
      method: 'post',
      path: '/company/stories/new',
      access: COMPANY,
      handler: (req, res) =>
        saveForm(req, res, null, async (input) => {
          // The API may publish with implied consent; the form asks for it to be ticked.
          if (input.published && !input.consent) throw invalidFields({ published: { key: 'story.consent_needed' } });
          return (await db.transaction().execute((trx) => service.createStory(trx, req.ctx.user!, input, req.ctx.now))).id;
        }),
    },
    {
      method: 'get',
      path: '/company/stories/:id',
      access: COMPANY,
      handler: async (req, res) => showStoryForm(res, { story: await own(req, storyId(req)) }),
    },
    {
      method: 'post',
      path: '/company/stories/:id',
      access: COMPANY,
      handler: async (req, res) => {
        const story = await own(req, storyId(req));
        await saveForm(req, res, story, async (input) => {
          await db.transaction().execute((trx) => service.updateStory(trx, req.ctx.user!, story.id, input, req.ctx.now));
          return story.id;
        });
      },
    },
    {
      method: 'post',
      path: '/company/stories/:id/consent/withdraw',
      access: COMPANY,
      handler: async (req, res) => {
        const id = storyId(req);
        await db.transaction().execute((trx) => service.withdrawConsent(trx, req.ctx.user!, id, req.ctx.now));
        redirectAfterPost(res, `/company/stories/${id}?notice=withdrawn`);
      },
    },
    { method: 'post', path: '/company/stories/:id/publish', access: COMPANY, handler: setPublished(true) },
    { method: 'post', path: '/company/stories/:id/unpublish', access: COMPANY, handler: setPublished(false) },
  ];
}
