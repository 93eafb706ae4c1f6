import type { Request } from 'express';
import { z } from 'zod';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatDate } from '../time/stockholm.ts';
import { gradeLabel } from './pupils.form.ts';
import { compareClassNames, type Pupil } from './pupils.service.ts';

/** Display data for the register's pages: plain strings, already translated and formatted. */

export function pupilView(p: Pupil, t: Translate, locale: Locale) {
  return {
    id: p.id,
    name: `${p.familyName}, ${p.givenName}`,
    fullName: `${p.givenName} ${p.familyName}`,
    className: p.className,
    grade: gradeLabel(t, p.grade),
    protectedIdentity: p.protectedIdentity,
    code: p.code,
    hasLink: p.hasLink,
    linkStatus: p.linkIssuedAt ? t('pupils.link_since', { date: formatDate(p.linkIssuedAt, locale) }) : t('pupils.link_none'),
    linkIssued: p.linkIssuedAt ? t('pupils.link_issued', { date: formatDate(p.linkIssuedAt, locale) }) : null,
  };
}
export type PupilView = ReturnType<typeof pupilView>;

/** Pupils (already in register order) grouped by class, for the list. */
export function byClass(pupils: readonly Pupil[], t: Translate, locale: Locale): { className: string; pupils: PupilView[] }[] {
  const groups = new Map<string, PupilView[]>();
  for (const p of pupils) groups.set(p.className, [...(groups.get(p.className) ?? []), pupilView(p, t, locale)]);
  return [...groups.entries()].sort(([a], [b]) => compareClassNames(a, b)).map(([className, list]) => ({ className, pupils: list }));
}

const NOTICES = {
  created: 'pupils.notice_created',
  saved: 'pupils.notice_saved',
  deleted: 'pupils.notice_deleted',
  imported: 'pupils.notice_imported',
  removed: 'pupils.notice_removed',
  link_issued: 'pupils.notice_link_issued',
  link_revoked: 'pupils.notice_link_revoked',
  links_issued: 'pupils.notice_links_issued',
} as const;

const noticeQuery = z.object({
  notice: z.enum(Object.keys(NOTICES) as [keyof typeof NOTICES]).optional().catch(undefined),
  count: z.coerce.number().int().min(0).max(100_000).default(0).catch(0),
  bookings: z.coerce.number().int().min(0).max(100_000).default(0).catch(0),
});

/** The message after a redirect (?notice=imported&count=24), or null. */
export function noticeOf(req: Request): string | null {
  const { notice, count, bookings } = noticeQuery.parse(req.query);
  return notice ? req.ctx.t(NOTICES[notice], { count, bookings }) : null;
}

/** "?notice=imported&count=24" */
export const withNotice = (path: string, notice: keyof typeof NOTICES, counts: Record<string, number> = {}) =>
  `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams({ notice, ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])) })}`;
