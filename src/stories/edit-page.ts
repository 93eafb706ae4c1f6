import type { Response } from 'express';
import type { Db } from '../db/database.ts';
import type { FieldProblems } from '../http/errors.ts';
import { formState, renderPage } from '../http/render.ts';
import { formatDate } from '../time/stockholm.ts';
import { checkedValues, problemsInForm, rowCount, storyFormValues, type StepField } from './story-form.ts';
import { fieldOptions, kindOptions, programmeOptions } from './story-view.ts';
import { hasConsent, listCompanyStories, type Story } from './stories.service.ts';

/** The company's story pages (list and form), shared by the story routes and the portrait routes. */

const NOTICES = {
  saved: 'story.notice_saved',
  published: 'story.notice_published',
  unpublished: 'story.notice_unpublished',
  withdrawn: 'story.notice_withdrawn',
  portrait_saved: 'story.notice_portrait_saved',
  portrait_deleted: 'story.notice_portrait_deleted',
} as const;

function notice(res: Response): string | null {
  const key = NOTICES[String(res.req.query.notice) as keyof typeof NOTICES];
  return key ? res.req.ctx.t(key) : null;
}

type ConsentState = 'given' | 'withdrawn' | 'missing';
const consentState = (story: Story): ConsentState => (hasConsent(story) ? 'given' : story.consent?.withdrawnAt ? 'withdrawn' : 'missing');

export async function showStoryList(db: Db, res: Response): Promise<void> {
  const { t, user } = res.req.ctx;
  const stories = await listCompanyStories(db, user!.companyId!);
  await renderPage(res, 'stories/list', {
    title: t('story.list_title'),
    notice: notice(res),
    stories: stories.map((s) => ({
      id: s.id,
      name: s.name,
      title: s.title,
      published: s.published,
      status: t(s.published ? 'story.status_published' : 'story.status_draft'),
      consentState: consentState(s),
      consent: t(`story.consent_${consentState(s)}`),
      portrait: t(s.hasPortrait ? 'story.portrait_yes' : 'story.portrait_no'),
    })),
  });
}

export interface StoryFormPage {
  /** The story being edited; null for a new one. */
  story: Story | null;
  /** Submitted values (shown again after a problem); the story's own values when absent. */
  values?: Record<string, unknown>;
  problems?: FieldProblems;
  /** For each path step in the submission, the form row it came from (see readStoryForm). */
  rows?: readonly number[];
  portraitProblems?: FieldProblems;
}

/** A new story offers a few more blank steps than an edited one: most paths have four or five. */
const NEW_STORY_ROWS = 5;

export async function showStoryForm(res: Response, page: StoryFormPage): Promise<void> {
  const { t, locale } = res.req.ctx;
  const { story } = page;
  const values = page.values ?? (story ? storyFormValues(story) : {});
  // Lower-cased like every field label inside a message ("Fyll i titel (steg 3).").
  const stepLabel = (row: number, field: StepField) => t('story.step_field_label', { field: t(`story.step_${field}`).toLocaleLowerCase(), n: row + 1 });
  const problems = page.problems ? problemsInForm(page.problems, page.rows ?? [], stepLabel) : undefined;
  const chosenFields = new Set(checkedValues(values.fields));
  const rows = rowCount(values, story ? 0 : NEW_STORY_ROWS);
  await renderPage(
    res,
    'stories/edit',
    {
      title: story ? t('story.edit_named', { name: story.name }) : t('story.new_title'),
      notice: notice(res),
      action: story ? `/company/stories/${story.id}` : '/company/stories/new',
      form: formState(res, values, problems),
      rows: Array.from({ length: rows }, (_, row) => row),
      kindOptions: [{ value: '', label: t('story.choose') }, ...kindOptions(t)],
      programmeOptions: [{ value: '', label: t('story.no_programme') }, ...programmeOptions(locale)],
      fieldChoices: fieldOptions(locale).map((o) => ({ ...o, checked: chosenFields.has(o.value) })),
      consentChecked: checkedValues(values.consent).length > 0,
      publishedChecked: checkedValues(values.published).length > 0,
      story: story && {
        id: story.id,
        name: story.name,
        published: story.published,
        hasPortrait: story.hasPortrait,
        consentState: consentState(story),
        consentText: story.consent
          ? story.consent.withdrawnAt
            ? t('story.consent_status_withdrawn', { date: formatDate(story.consent.withdrawnAt, locale) })
            : t('story.consent_status_given', { person: story.consent.person, date: formatDate(story.consent.at, locale) })
          : '',
        portraitAlt: t('story.portrait_alt', { name: story.name }),
        // The upload form is multipart: its CSRF token travels in the address (see src/http/csrf.ts).
        portraitAction: `/company/stories/${story.id}/portrait?_csrf=${encodeURIComponent(String(res.locals.csrfToken))}`,
      },
      portraitForm: formState(res, {}, page.portraitProblems),
    },
    res.statusCode,
  );
}
