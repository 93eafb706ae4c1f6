import { fieldLabel, localiseFields } from '../http/validation.ts';
import type { Translate } from '../i18n/index.ts';
import type { FileProblem } from './import.ts';
import type { ImportPreview, PreviewRow } from './import.service.ts';
import { genderLabel, gradeLabel } from './pupils.form.ts';

/** The import preview as display data: every row with its status and its problems in words. */

function fileProblemText(t: Translate, problem: FileProblem): string {
  const column = problem.field ? fieldLabel(t, problem.field) : '';
  return t(problem.key, { ...problem.params, column });
}

function rowView(t: Translate, row: PreviewRow) {
  const valid = row.fields !== null;
  const { shown } = row;
  // A valid row holds codes, shown in words; a row with problems shows what the file said.
  const grade = valid ? gradeLabel(t, shown.grade) : shown.grade;
  const gender = valid && shown.gender ? genderLabel(t, shown.gender) : shown.gender;
  const protectedIdentity = valid ? (shown.protectedIdentity ? t('pupils.protected_badge') : '') : shown.protectedIdentity;
  const labelled = (field: 'birthYear' | 'gender' | 'protectedIdentity', value: string) => (value ? `${fieldLabel(t, field)}: ${value}` : '');
  return {
    line: row.line,
    name: [shown.givenName, shown.familyName].filter(Boolean).join(' '),
    placement: [shown.className && `${fieldLabel(t, 'className')} ${shown.className}`, grade && (valid ? grade : `${fieldLabel(t, 'grade')}: ${grade}`)].filter(Boolean).join(' · '),
    details: [labelled('birthYear', shown.birthYear), labelled('gender', gender), labelled('protectedIdentity', protectedIdentity)].filter(Boolean).join(' · '),
    status: row.skipped ? 'skipped' : valid ? 'new' : 'problem',
    statusLabel: t(row.skipped ? 'pupils.row_skipped' : valid ? 'pupils.row_new' : 'pupils.row_problem'),
    messages: Object.values(localiseFields(t, row.problems)),
  };
}

export function importPreviewView(preview: ImportPreview, t: Translate) {
  const rows = preview.rows.map((row) => rowView(t, row));
  return {
    ok: preview.ok,
    canConfirm: preview.ok && preview.content !== null,
    content: preview.content,
    counts: preview.counts,
    summary: t('pupils.preview_counts', { rows: preview.counts.rows, added: preview.counts.added, skipped: preview.counts.skipped, problems: preview.counts.withProblems }),
    fileProblems: preview.fileProblems.map((p) => fileProblemText(t, p)),
    unknownHeaders: preview.unknownHeaders.join(', '),
    personnummerDropped: preview.personnummerDropped,
    rows,
    problemRows: rows.filter((r) => r.messages.length > 0),
  };
}
