import { DateTime } from 'luxon';
import type { Db } from '../../src/db/database.ts';
import type { SessionUser } from '../../src/http/context.ts';
import { gradeFromClassName, pupilFieldsSchema, type PupilFields } from '../../src/pupils/pupils.schemas.ts';
import { createPupil, type Pupil } from '../../src/pupils/pupils.service.ts';
import { systemActor } from '../../src/users/system-actor.ts';
import { csrfFrom, TEST_NOW, type Agent } from './app.ts';

/** Pupils for tests: made through the register's own service, in class 8B unless told otherwise. */

const now = DateTime.fromISO(TEST_NOW, { zone: 'utc' });
let counter = 0;

/** Acting for a school as the platform (recorded as created by nobody). */
export const schoolActor = (schoolId: string): SessionUser => ({ ...systemActor, role: 'counsellor', schoolId });

/** A pupil of the school: "Elev<n> Testsson", class 8B (grade from the class), no link. */
export async function makePupil(db: Db, schoolId: string, overrides: Partial<PupilFields> = {}): Promise<Pupil> {
  const n = ++counter;
  const className = overrides.className ?? '8B';
  const fields = pupilFieldsSchema.parse({
    givenName: `Elev${n}`,
    familyName: 'Testsson',
    grade: gradeFromClassName(className) ?? 'gy1',
    ...overrides,
    className,
  });
  return createPupil(db, schoolActor(schoolId), fields, now);
}

/** A valid pupil form as the counsellor posts it. */
export function pupilForm(extra: Record<string, string> = {}): Record<string, string> {
  return { givenName: 'Alva', familyName: 'Berg', className: '8B', grade: '8', birthYear: '2013', gender: '', ...extra };
}

export const pupilRow = (db: Db, id: string) => db.selectFrom('pupils').selectAll().where('id', '=', id).executeTakeFirst();
export const pupilsOf = (db: Db, schoolId: string) => db.selectFrom('pupils').selectAll().where('school_id', '=', schoolId).orderBy('given_name').execute();

/** A CSRF token from a page the agent may see (the import form sends it in the address). */
async function csrfToken(agent: Agent): Promise<string> {
  return csrfFrom((await agent.get('/account')).text);
}

/** Uploads a class list file to the import preview. */
export async function uploadCsv(agent: Agent, content: string | Buffer, filename = 'klasslista.csv') {
  const token = await csrfToken(agent);
  return agent.post(`/school/pupils/import?_csrf=${encodeURIComponent(token)}`).attach('csvFile', Buffer.from(content), filename);
}

/** Pastes a class list into the import preview's text box. */
export async function pasteCsv(agent: Agent, text: string) {
  const token = await csrfToken(agent);
  return agent.post(`/school/pupils/import?_csrf=${encodeURIComponent(token)}`).field('csvText', text);
}

/** The content the preview carries to the confirm step (its hidden field), or undefined. */
export function confirmContent(html: string): string | undefined {
  const raw = /name="csvContent" value="([^"]*)"/.exec(html)?.[1];
  return raw?.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Confirms an import with this content, as the preview's button does. */
export async function confirmCsv(agent: Agent, content: string) {
  const token = await csrfToken(agent);
  return agent.post(`/school/pupils/import/confirm?_csrf=${encodeURIComponent(token)}`).field('csvContent', content);
}
