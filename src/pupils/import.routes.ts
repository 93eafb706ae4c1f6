import type { Request, Response } from 'express';
import multer from 'multer';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { invalidFields, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { IMPORT_LIMITS } from './import.ts';
import { confirmImport, previewImport, type ImportPreview } from './import.service.ts';
import { importPreviewView } from './import.view.ts';
import { COUNSELLOR } from './register.routes.ts';
import { withNotice } from './pupils.view.ts';

/**
 * Both import forms are multipart: the file, the pasted text and the confirmed content can be
 * larger than a urlencoded form may be. Multer runs inside the route, after the guard and the
 * CSRF check (whose token comes in the address for multipart forms, see src/http/csrf.ts).
 */
const upload = multer({
  storage: multer.memoryStorage(),
  // The text fields may hold a whole class list, written out: room for the limit and its quoting.
  limits: { fileSize: IMPORT_LIMITS.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 2 * IMPORT_LIMITS.maxBytes },
}).single('csvFile');

interface Received {
  file: Buffer | null;
  fields: Record<string, unknown>;
}

/** The upload; anything multer refuses (too large, a broken body) is shown at the file field, never a 500. */
function receive(req: Request, res: Response): Promise<Received> {
  return new Promise((resolve, reject) => {
    upload(req, res, (error?: unknown) => {
      if (!error) return resolve({ file: req.file && req.file.size > 0 ? req.file.buffer : null, fields: req.body ?? {} });
      const tooLarge = error instanceof multer.MulterError && (error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE');
      req.body ??= {};
      reject(invalidFields({ csvFile: tooLarge ? { key: 'pupils.import_too_large', params: { max: '1 MB' } } : { key: 'pupils.import_upload_broken' } }));
    });
  });
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function importRoutes({ db }: AppDeps): RouteSpec[] {
  const action = (res: Response, path: string) => `${path}?_csrf=${encodeURIComponent(String(res.locals.csrfToken))}`;

  async function showForm(res: Response, values: Record<string, unknown> = {}, fields?: FieldProblems) {
    const { t } = res.req.ctx;
    await renderPage(
      res,
      'pupils/import',
      { title: t('pupils.import_title'), form: formState(res, values, fields), action: action(res, '/school/pupils/import') },
      res.statusCode,
    );
  }

  async function showPreview(res: Response, preview: ImportPreview, pasted: string) {
    const { t } = res.req.ctx;
    // A pasted list is offered again to fix, unless it had personal identity numbers: those are never sent back.
    const again = preview.ok || preview.personnummerDropped ? '' : pasted;
    await renderPage(
      res,
      'pupils/import-preview',
      {
        title: t('pupils.preview_title'),
        preview: importPreviewView(preview, res.req.ctx.t),
        form: formState(res, { csvText: again }),
        action: action(res, '/school/pupils/import'),
        confirmAction: action(res, '/school/pupils/import/confirm'),
      },
      preview.ok ? 200 : 422,
    );
  }

  return [
    { method: 'get', path: '/school/pupils/import', access: COUNSELLOR, handler: (_req, res) => showForm(res) },
    {
      method: 'post',
      path: '/school/pupils/import',
      access: COUNSELLOR,
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const { file, fields } = await receive(req, res);
            const pasted = text(fields.csvText);
            if (!file && pasted.trim() === '') throw invalidFields({ csvFile: { key: 'pupils.import_nothing' } });
            const preview = await previewImport(db, req.ctx.user!, file ?? pasted, req.ctx.now);
            await showPreview(res, preview, file ? '' : pasted);
          },
          // Never the submitted text again here: a refused upload may hold personal identity numbers.
          (_values, problems) => showForm(res, {}, problems),
        ),
    },
    {
      method: 'post',
      path: '/school/pupils/import/confirm',
      access: COUNSELLOR,
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const { fields } = await receive(req, res);
            const content = text(fields.csvContent);
            if (content.trim() === '') throw invalidFields({ csvFile: { key: 'pupils.import_nothing' } });
            const { preview, added } = await inTransaction(db, (trx) => confirmImport(trx, req.ctx.user!, content, req.ctx.now));
            if (!preview.ok) return showPreview(res, preview, '');
            redirectAfterPost(res, withNotice('/school/pupils', 'imported', { count: added }));
          },
          (_values, problems) => showForm(res, {}, problems),
        ),
    },
  ];
}
