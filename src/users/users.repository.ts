import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import { isLocale } from '../i18n/index.ts';

export type UserRow = Selectable<UsersTable>;

export function toSessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    networkId: row.network_id,
    companyId: row.company_id,
    schoolId: row.school_id,
    locale: isLocale(row.locale) ? row.locale : 'sv',
  };
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Kysely<Database>, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUserPassword(db: Kysely<Database>, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function updateUserLocale(db: Kysely<Database>, userId: string, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export function countUsers(db: Kysely<Database>): Promise<number> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function listUsersOfOrganisation(
  db: Kysely<Database>,
  org: { networkId?: string; companyId?: string; schoolId?: string },
): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('name');
  if (org.networkId) q = q.where('network_id', '=', org.networkId);
  else if (org.companyId) q = q.where('company_id', '=', org.companyId);
  else if (org.schoolId) q = q.where('school_id', '=', org.schoolId);
  else q = q.where('role', '=', 'platform_admin');
  return q.execute();
}
