import type { Response } from 'express';
import { z } from 'zod';
import { idString, plainString } from '../http/fields.ts';
import { pupilLinkReader } from '../bookings/pupil-page.routes.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, notFound, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { localiseFields, parseInput } from '../http/validation.ts';
import { pupilName } from '../pupils/identity.ts';
import { getPupilOfSchool, listPupilsOfSchool, schoolOf, type Pupil } from '../pupils/pupils.service.ts';
import { roundPhase, type Round } from './round.ts';
import { findRound, roundsOfSchool } from './rounds.repository.ts';
import { datesText, phaseText, type Look } from './rounds.view.ts';
import { choicesOfSchool, pupilInRound, setWishes, wishCounts, wishesOf, wishesOfPupils } from './wishes.service.ts';
import * as view from './wishes.view.ts';

const COUNSELLOR = ['counsellor'] as const;
const id = idString();
const tokenSchema = z.object({ token: plainString().max(200) });
const roundTokenSchema = tokenSchema.extend({ roundId: id });
const roundParamsSchema = z.object({ id });
const pupilParamsSchema = z.object({ id, pupilId: id });

/** The pupil's buttons: add a placement at the end, move a wish up or down, remove one. */
const pupilActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('add'), placementId: id }),
  z.object({ action: z.enum(['up', 'down', 'remove']), rank: z.coerce.number().int().min(1).max(20) }),
]);
type PupilAction = z.output<typeof pupilActionSchema>;

/** The list after one button: a pure step, so the service always sees (and checks) a whole list. */
export function applyAction(list: readonly string[], action: PupilAction): string[] {
  const next = [...list];
  if (action.action === 'add') return next.includes(action.placementId) ? next : [...next, action.placementId];
  const i = action.rank - 1;
  if (i >= next.length) return next;
  if (action.action === 'remove') next.splice(i, 1);
  const j = action.action === 'up' ? i - 1 : i + 1;
  if (action.action !== 'remove' && j >= 0 && j < next.length) [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

const savedSchema = z.object({ saved: id.optional().catch(undefined) });
const savedFlagSchema = z.object({ saved: z.literal('1').optional().catch(undefined) });

/** Pages: wishes: the counsellor's (/school/rounds…) and the pupil's (/p/:token/wishes…) pages. */
export function wishRoutes({ db, config }: AppDeps): RouteSpec[] {
  const pupilOfLink = pupilLinkReader({ db, config });
  const lookOf = (res: Response): Look => ({ t: res.req.ctx.t, locale: res.req.ctx.locale, now: res.req.ctx.now });

  // ---- the pupil's page ----

  async function showPupilPage(res: Response, pupil: Pupil, token: string, state: view.PupilRoundState = {}) {
    const look = lookOf(res);
    const views = [];
    for (const round of await view.roundsOfPupil(db, pupil)) {
      const choices = await choicesOfSchool(db, round, pupil.schoolId, look.now);
      views.push(view.pupilRoundView(round, pupil, await wishesOf(db, round.id, pupil.id), choices, token, look, state));
    }
    await renderPage(res, 'scheduler/wishes-pupil', { title: look.t('wishes.pupil_title'), rounds: views, backHref: `/p/${token}` }, res.statusCode);
  }

  /** A round the pupil takes part in, or 404. */
  async function roundOfPupil(roundId: string, pupil: Pupil): Promise<Round> {
    const round = await findRound(db, roundId);
    if (!round || !pupilInRound(round, pupil)) throw notFound();
    return round;
  }

  // ---- the counsellor's pages ----

  /** A round the counsellor's school takes part in; any other is "not found". */
  async function schoolRound(res: Response, roundId: string): Promise<{ round: Round; schoolId: string; schoolName: string }> {
    const schoolId = schoolOf(res.req.ctx.user!);
    const round = await findRound(db, roundId);
    const school = round?.schools.find((s) => s.schoolId === schoolId);
    if (!round || !school) throw notFound();
    return { round, schoolId, schoolName: school.schoolName };
  }

  async function showWishForm(res: Response, roundId: string, pupilId: string, values?: Record<string, unknown>, fields?: FieldProblems) {
    const look = lookOf(res);
    const { round, schoolId, schoolName } = await schoolRound(res, roundId);
    const pupil = await getPupilOfSchool(db, res.req.ctx.user!, pupilId);
    if (!pupilInRound(round, pupil)) throw notFound();
    const [wishes, choices] = await Promise.all([wishesOf(db, round.id, pupil.id), choicesOfSchool(db, round, schoolId, look.now)]);
    const name = pupilName(pupil, 'school', schoolName, look.t);
    await renderPage(
      res,
      'scheduler/wishes-edit',
      {
        title: look.t('wishes.edit_title', { pupil: name }),
        round: { id: round.id, name: round.name, open: roundPhase(round, look.now) === 'wishes_open', window: view.windowSentence(round, look) },
        pupil: { id: pupil.id, name },
        noChoices: choices.forPupil(pupil).length === 0 && wishes.length === 0,
        selects: view.wishSelects(round, pupil, wishes, choices, look),
        form: formState(res, values ?? view.wishFormValues(round, wishes), fields),
      },
      res.statusCode,
    );
  }

  return [
    {
      method: 'get',
      path: '/p/:token/wishes',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, tokenSchema);
        if (!found) return;
        await showPupilPage(res, found.pupil, found.params.token, { savedRoundId: savedSchema.parse(req.query ?? {}).saved });
      },
    },
    {
      method: 'post',
      path: '/p/:token/wishes/:roundId',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, roundTokenSchema);
        if (!found) return;
        const { pupil, params } = found;
        const round = await roundOfPupil(params.roundId, pupil);
        try {
          const action = parseInput(pupilActionSchema, req.body);
          const list = applyAction((await wishesOf(db, round.id, pupil.id)).map((w) => w.placementId), action);
          await inTransaction(db, (trx) => setWishes(trx, round, pupil, list, null, req.ctx.now));
          redirectAfterPost(res, `${view.wishesPath(params.token)}?saved=${round.id}#round-${round.id}`);
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500 || error.code === 'not_found') throw error;
          const fields = Object.values(localiseFields(req.ctx.t, error.fields));
          const messages = fields.length > 0 ? fields : [req.ctx.t(`error.${error.code}`, error.options.params)];
          res.status(error.status);
          await showPupilPage(res, pupil, params.token, { problem: { roundId: round.id, messages } });
        }
      },
    },
    {
      method: 'get',
      path: '/school/rounds',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const look = lookOf(res);
        const schoolId = schoolOf(req.ctx.user!);
        const rounds = await roundsOfSchool(db, schoolId);
        const counts = new Map(await Promise.all(rounds.map(async (r) => [r.id, await wishCounts(db, r)] as const)));
        await renderPage(res, 'scheduler/wishes-school-list', { title: look.t('rounds.title'), rounds: view.schoolRoundsView(rounds, schoolId, counts, look) });
      },
    },
    {
      method: 'get',
      path: '/school/rounds/:id',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const look = lookOf(res);
        const { round, schoolId, schoolName } = await schoolRound(res, parseInput(roundParamsSchema, req.params).id);
        const pupils = (await listPupilsOfSchool(db, schoolId)).filter((p) => pupilInRound(round, p));
        const [wishes, choices] = await Promise.all([wishesOfPupils(db, round.id, pupils.map((p) => p.id)), choicesOfSchool(db, round, schoolId, look.now)]);
        const school = round.schools.find((s) => s.schoolId === schoolId)!;
        await renderPage(res, 'scheduler/wishes-school-round', {
          title: round.name,
          round: { id: round.id, name: round.name, phase: phaseText(round, look), window: view.windowSentence(round, look), dates: datesText(school, look) },
          notice: savedFlagSchema.parse(req.query ?? {}).saved ? look.t('wishes.saved') : null,
          resultsHref: round.committedAllocationId ? `/school/rounds/${round.id}/results` : null,
          classes: view.schoolPupilsView(round, pupils, wishes, choices, (p) => pupilName(p, 'school', schoolName, look.t), look),
        });
      },
    },
    {
      method: 'get',
      path: '/school/rounds/:id/pupils/:pupilId/wishes',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const params = parseInput(pupilParamsSchema, req.params);
        await showWishForm(res, params.id, params.pupilId);
      },
    },
    {
      method: 'post',
      path: '/school/rounds/:id/pupils/:pupilId/wishes',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const params = parseInput(pupilParamsSchema, req.params);
        await handleForm(
          res,
          async () => {
            const { round } = await schoolRound(res, params.id);
            const pupil = await getPupilOfSchool(db, req.ctx.user!, params.pupilId);
            // Empty selects are skipped; a problem is shown at the select it came from, by its number.
            const picked = Array.from({ length: round.maxWishes }, (_, i) => ({ field: `wish${i + 1}`, rank: i + 1, id: String(req.body?.[`wish${i + 1}`] ?? '').trim() })).filter((w) => w.id);
            try {
              await inTransaction(db, (trx) => setWishes(trx, round, pupil, picked.map((w) => w.id.slice(0, 64)), req.ctx.user!.id, req.ctx.now));
            } catch (error) {
              if (error instanceof AppError && error.fields) throw new AppError(error.code, { ...error.options, fields: toSelectFields(error.fields, picked) });
              throw error;
            }
            redirectAfterPost(res, `/school/rounds/${round.id}?saved=1`);
          },
          (values, fields) => showWishForm(res, params.id, params.pupilId, values, fields),
        );
      },
    },
  ];
}

/** The service names a wish by its place in the list (`placements.1`); the form by its select (`wish3`, when wish 2 was left empty). */
function toSelectFields(fields: FieldProblems, picked: readonly { field: string; rank: number }[]): FieldProblems {
  const out: FieldProblems = {};
  for (const [name, problem] of Object.entries(fields)) {
    const match = /^placements\.(\d+)$/.exec(name);
    const select = match ? picked[Number(match[1])] : undefined;
    if (!select) {
      out[name === 'placements' ? 'wish1' : name] = problem;
      continue;
    }
    const other = typeof problem.params?.other === 'number' ? picked[problem.params.other - 1]?.rank : undefined;
    out[select.field] = { ...problem, params: { ...problem.params, rank: select.rank, ...(other ? { other } : {}) } };
  }
  return out;
}
