import type { Request, Response } from 'express';
import multer from 'multer';
import type { AppDeps } from '../http/context.ts';
import { invalidFields } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { redirectAfterPost } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { showStoryForm } from './edit-page.ts';
import { PORTRAIT_MAX_BYTES, PortraitRejected, preparePortrait } from './portrait.ts';
import { portraitFor, removePortrait, setPortrait } from './portrait.service.ts';
import { getOwnStory } from './stories.service.ts';

const COMPANY = ['company_coordinator'] as const;

/**
 * One file in memory, no bigger than the portrait limit. Multer runs inside the route, after
 * the guard and the CSRF check (whose token comes in the address for multipart forms).
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: PORTRAIT_MAX_BYTES, files: 1, fields: 5, parts: 6 },
}).single('portrait');

/** The uploaded file, or undefined when none came; multer's own refusals become field problems. */
function receiveFile(req: Request, res: Response): Promise<Express.Multer.File | undefined> {
  return new Promise((resolve, reject) => {
    upload(req, res, (error?: unknown) => {
      if (!error) return resolve(req.file);
      // Any upload that cannot be read (a multer limit, or a broken multipart body) is the
      // sender's problem, shown at the field; never a 500.
      const tooLarge = error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE';
      reject(invalidFields({ portrait: { key: tooLarge ? 'story.portrait_too_large' : 'story.portrait_missing' } }));
    });
  });
}

/** Story portraits: upload and removal by the company, and the image itself for everyone allowed to see it. */
export function portraitRoutes({ db }: AppDeps): RouteSpec[] {
  const storyId = (req: Request) => parseInput(idParamSchema, req.params).id;

  return [
    {
      method: 'post',
      path: '/company/stories/:id/portrait',
      access: COMPANY,
      handler: async (req, res) => {
        // The story must be the company's before its upload is read at all.
        const story = await getOwnStory(db, req.ctx.user!, storyId(req));
        await handleForm(
          res,
          async () => {
            const file = await receiveFile(req, res);
            if (!file || file.size === 0) throw invalidFields({ portrait: { key: 'story.portrait_missing' } });
            const portrait = await preparePortrait(file.buffer, file.originalname).catch((error: unknown) => {
              throw error instanceof PortraitRejected ? invalidFields({ portrait: { key: `story.${error.problem}` } }) : error;
            });
            // Decoding and re-encoding happen before the transaction, so no write lock waits on them.
            await db.transaction().execute((trx) => setPortrait(trx, req.ctx.user!, story.id, portrait, req.ctx.now));
            redirectAfterPost(res, `/company/stories/${story.id}?notice=portrait_saved#portrait`);
          },
          (_values, problems) => showStoryForm(res, { story, portraitProblems: problems }),
        );
      },
    },
    {
      method: 'post',
      path: '/company/stories/:id/portrait/delete',
      access: COMPANY,
      handler: async (req, res) => {
        const id = storyId(req);
        await db.transaction().execute((trx) => removePortrait(trx, req.ctx.user!, id));
        redirectAfterPost(res, `/company/stories/${id}?notice=portrait_deleted#portrait`);
      },
    },
    {
      method: 'get',
      path: '/stories/:id/portrait',
      access: 'public',
      handler: async (req, res) => {
        const portrait = await portraitFor(db, req.ctx.user, storyId(req));
        // Always revalidated (Express answers 304 from the ETag), so an unpublished story's
        // portrait disappears at once; a draft's is never kept by a shared cache.
        res.set({
          'Content-Type': 'image/webp',
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': portrait.published ? 'public, no-cache' : 'private, no-cache',
          'Content-Disposition': 'inline; filename="portrait.webp"',
        });
        res.send(portrait.image);
      },
    },
  ];
}
