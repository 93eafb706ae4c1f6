import { z } from 'zod';
import type { ApiRoute } from '../api/api.routes.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { forbidden } from '../http/errors.ts';
import { plainString } from '../http/fields.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { GENDERS, GRADES, normaliseClassName, pupilFieldsSchema } from './pupils.schemas.ts';
import { createPupil, getPupil, listPupilsOfSchool, schoolOf, type Pupil } from './pupils.service.ts';

const classHelp = 'The class, e.g. "8B": spaces are removed and letters upper-cased; at most 10 characters.';
const genderHelp = 'Only for statistics; never shown outside the school.';
const protectedHelp = 'The name is never shown outside the school; companies see "Pupil, 8B, <school> (code …)".';

export const pupilRequestSchema = pupilFieldsSchema
  .extend({
    className: pupilFieldsSchema.shape.className.meta({ description: classHelp }),
    gender: pupilFieldsSchema.shape.gender.meta({ description: genderHelp }),
    protectedIdentity: pupilFieldsSchema.shape.protectedIdentity.meta({ description: protectedHelp }),
  })
  .strict();

export const pupilResponseSchema = z.object({
  id: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  className: z.string(),
  grade: z.enum(GRADES),
  birthYear: z.number().int().nullable(),
  gender: z.enum(GENDERS).nullable(),
  protectedIdentity: z.boolean(),
  code: z.string().meta({ description: 'Stands for the pupil where the name is not shown.' }),
});
export const pupilListSchema = z.object({ pupils: z.array(pupilResponseSchema) });
export const pupilQuerySchema = z.object({
  className: plainString().max(40).transform(normaliseClassName).optional().catch(undefined).meta({ description: 'Only this class (a bad value is ignored).' }),
});

export function pupilJson(p: Pupil) {
  const { id, givenName, familyName, className, grade, birthYear, gender, protectedIdentity, code } = p;
  return { id, givenName, familyName, className, grade, birthYear, gender, protectedIdentity, code };
}

/** The register for scripts and school systems: the caller's own school only. */
export function pupilApiRoutes({ db }: AppDeps): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/pupils',
      operationId: 'createPupil',
      access: ['counsellor'],
      summary: "Add a pupil to the caller's school register.",
      body: pupilRequestSchema,
      response: pupilResponseSchema,
      status: 201,
      handler: async ({ req, body, user }) => pupilJson(await inTransaction(db, (trx) => createPupil(trx, user, body, req.ctx.now))),
    },
    {
      method: 'get',
      path: '/pupils',
      operationId: 'listPupils',
      access: ['counsellor'],
      summary: "The pupils of the caller's school, by class and name.",
      query: pupilQuerySchema,
      response: pupilListSchema,
      status: 200,
      handler: async ({ query, user }) => ({ pupils: (await listPupilsOfSchool(db, schoolOf(user), { className: query.className })).map(pupilJson) }),
    },
    {
      method: 'get',
      path: '/pupils/:id',
      operationId: 'getPupil',
      access: ['counsellor'],
      summary: "One pupil of the caller's school (another school's pupil is forbidden).",
      params: idParamSchema,
      response: pupilResponseSchema,
      status: 200,
      errors: ['not_found'],
      handler: async ({ params, user }) => {
        const pupil = await getPupil(db, params.id);
        if (pupil.schoolId !== schoolOf(user)) throw forbidden();
        return pupilJson(pupil);
      },
    },
  ];
}
