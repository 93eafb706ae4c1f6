import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import { hashToken, newId, randomToken } from '../auth/secrets.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import type { Translate } from '../i18n/index.ts';
import { queueMail, type Mailer } from '../mail/mail.service.ts';
import { approvedOrganisations, listNetworks } from '../organisations/organisations.service.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { assertMayGrant } from './permissions.ts';
import { assertOrganisationForRole, createUser, emailTaken, findUserByEmail, organisationColumns } from './users.service.ts';

export const INVITATION_DAYS = 7;

export interface GrantOption {
  value: string; // "<role>:<organisationId>" ("platform_admin:" for an admin)
  label: string;
}

/** What the actor may invite people as: one option per role and organisation. */
export async function grantOptions(db: Db, actor: SessionUser, t: Translate): Promise<GrantOption[]> {
  const option = (role: Role, id: string, name: string) => ({ value: `${role}:${id}`, label: `${t(`role.${role}`)} – ${name}` });
  const fromNetwork = async (networkId: string, networkName: string) => {
    const { companies, schools } = await approvedOrganisations(db, networkId);
    return [
      option('network_coordinator', networkId, networkName),
      ...companies.map((c) => option('company_coordinator', c.id, c.name)),
      ...schools.map((s) => option('counsellor', s.id, s.name)),
    ];
  };
  switch (actor.role) {
    case 'platform_admin': {
      const networks = await listNetworks(db);
      const perNetwork = await Promise.all(networks.map((n) => fromNetwork(n.id, n.name)));
      const unique = new Map(perNetwork.flat().map((o) => [o.value, o]));
      return [{ value: 'platform_admin:', label: t('role.platform_admin') }, ...unique.values()];
    }
    case 'network_coordinator': {
      const network = (await listNetworks(db)).find((n) => n.id === actor.networkId);
      return network ? fromNetwork(network.id, network.name) : [];
    }
    case 'company_coordinator':
      return [{ value: `company_coordinator:${actor.companyId}`, label: t('role.company_coordinator') }];
    case 'counsellor':
      return [{ value: `counsellor:${actor.schoolId}`, label: t('role.counsellor') }];
  }
}

export function parseGrant(value: string): { role: Role; organisationId: string | null } | null {
  const [role, organisationId = ''] = value.split(':');
  if (!['platform_admin', 'network_coordinator', 'company_coordinator', 'counsellor'].includes(role ?? '')) return null;
  return { role: role as Role, organisationId: organisationId || null };
}

export async function createInvitation(
  db: Db,
  deps: { mailer: Mailer; config: Config; t: Translate },
  actor: SessionUser,
  input: { email: string; role: Role; organisationId: string | null },
  now: DateTime,
): Promise<string> {
  await assertMayGrant(db, actor, input.role, input.organisationId);
  await assertOrganisationForRole(db, input.role, input.organisationId);
  if (await findUserByEmail(db, input.email)) throw emailTaken();
  // A new invitation to the same address replaces the inviter's own open one (a resend, or
  // another role); invitations others sent are left alone.
  await db
    .updateTable('invitations')
    .set({ revoked_at: toDbInstant(now) })
    .where('email', '=', input.email)
    .where('invited_by', '=', actor.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  const token = randomToken();
  const id = newId();
  await db
    .insertInto('invitations')
    .values({
      id,
      token_hash: hashToken(token),
      email: input.email,
      role: input.role,
      ...organisationColumns(input.role, input.organisationId),
      invited_by: actor.id,
      created_at: toDbInstant(now),
      expires_at: toDbInstant(now.plus({ days: INVITATION_DAYS })),
      accepted_at: null,
      revoked_at: null,
    })
    .execute();
  const { t, config, mailer } = deps;
  await queueMail(
    db,
    mailer,
    {
      to: input.email,
      subject: t('users.invite_mail_subject'),
      text: t('users.invite_mail_body', {
        inviter: actor.name,
        role: t(`role.${input.role}`),
        link: `${config.baseUrl}/invitations/accept/${token}`,
        days: INVITATION_DAYS,
      }),
    },
    now,
  );
  return id;
}

/** Invitations the actor sent that are still open. */
export function listOpenInvitations(db: Db, actor: SessionUser, now: DateTime) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'created_at', 'expires_at'])
    .where('invited_by', '=', actor.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', toDbInstant(now))
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeInvitation(db: Db, actor: SessionUser, id: string, now: DateTime): Promise<void> {
  const row = await db.selectFrom('invitations').select(['invited_by']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  if (row.invited_by !== actor.id && actor.role !== 'platform_admin') throw forbidden();
  await db.updateTable('invitations').set({ revoked_at: toDbInstant(now) }).where('id', '=', id).where('accepted_at', 'is', null).execute();
}

export async function findUsableInvitation(db: Db, token: string, now: DateTime) {
  const row = await db.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.accepted_at !== null || row.revoked_at !== null || fromDbInstant(row.expires_at) <= now) throw new AppError('link_invalid');
  return row;
}

/** The invited person chooses name and password; the link is used up in the same transaction. */
export async function acceptInvitation(db: Db, config: Config, token: string, input: { name: string; password: string }, now: DateTime): Promise<SessionUser> {
  const invitation = await findUsableInvitation(db, token, now);
  const taken = await db
    .updateTable('invitations')
    .set({ accepted_at: toDbInstant(now) })
    .where('id', '=', invitation.id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) throw new AppError('link_invalid');
  return createUser(
    db,
    {
      email: invitation.email,
      name: input.name,
      role: invitation.role,
      organisationId: invitation.network_id ?? invitation.company_id ?? invitation.school_id,
      password: input.password,
    },
    now,
    config.passwordHashing,
  );
}
