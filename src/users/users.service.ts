import type { DateTime } from 'luxon';
import type { PasswordHashing } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import { hashPassword, newId } from '../auth/secrets.ts';
import { AppError, invalidFields } from '../http/errors.ts';
import type { SessionUser } from '../http/context.ts';
import type { Locale } from '../i18n/index.ts';
import { organisationExists } from '../organisations/organisations.service.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { toDbInstant } from '../time/stockholm.ts';
import * as repo from './users.repository.ts';

export { toSessionUser, findUserByEmail, findUserById, countUsers } from './users.repository.ts';

export const emailTaken = () => new AppError('email_taken', { fields: { email: { key: 'error.email_taken' } } });

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisationId?: string | null | undefined;
  password: string;
  locale?: Locale;
}

/** The organisation columns a role ties a user (or an invitation) to. */
export function organisationColumns(role: Role, organisationId: string | null | undefined) {
  return {
    network_id: role === 'network_coordinator' ? (organisationId ?? null) : null,
    company_id: role === 'company_coordinator' ? (organisationId ?? null) : null,
    school_id: role === 'counsellor' ? (organisationId ?? null) : null,
  };
}

export async function assertOrganisationForRole(db: Db, role: Role, organisationId: string | null | undefined) {
  if (role === 'platform_admin') {
    if (organisationId) throw invalidFields({ organisationId: { key: 'field.invalid' } });
    return;
  }
  if (!organisationId || !(await organisationExists(db, role, organisationId))) {
    throw invalidFields({ organisationId: { key: organisationId ? 'field.invalid' : 'field.required' } });
  }
}

/** Creates a user. The e-mail is unique (case-insensitive; stored lower-case). */
export async function createUser(db: Db, input: NewUser, now: DateTime, hashing: PasswordHashing): Promise<SessionUser> {
  const email = input.email.trim().toLowerCase();
  await assertOrganisationForRole(db, input.role, input.organisationId);
  if (await repo.findUserByEmail(db, email)) throw emailTaken();
  const row: repo.UserRow = {
    id: newId(),
    email,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password, hashing),
    role: input.role,
    ...organisationColumns(input.role, input.organisationId),
    locale: input.locale ?? 'sv',
    created_at: toDbInstant(now),
    disabled_at: null,
  };
  await repo.insertUser(db, row).catch((error: unknown) => {
    // Two requests for one address at once both pass the check above; the unique index decides.
    throw isUniqueViolation(error, 'users', 'email') ? emailTaken() : error;
  });
  return repo.toSessionUser(row);
}

export async function setPassword(db: Db, userId: string, password: string, hashing: PasswordHashing): Promise<void> {
  await repo.updateUserPassword(db, userId, await hashPassword(password, hashing));
}

export async function setLocale(db: Db, userId: string, locale: Locale): Promise<void> {
  await repo.updateUserLocale(db, userId, locale);
}

export async function listColleagues(db: Db, user: SessionUser) {
  const rows = await repo.listUsersOfOrganisation(db, {
    networkId: user.networkId ?? undefined,
    companyId: user.companyId ?? undefined,
    schoolId: user.schoolId ?? undefined,
  });
  return rows.map(repo.toSessionUser);
}
