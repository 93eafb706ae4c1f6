import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type {
  CompaniesTable,
  CompanySitesTable,
  MembershipStatus,
  NetworkMembershipsTable,
  NetworksTable,
  OrganisationKind,
  SchoolsTable,
} from '../db/types.ts';

export type NetworkRow = Selectable<NetworksTable>;
export type CompanyRow = Selectable<CompaniesTable>;
export type SiteRow = Selectable<CompanySitesTable>;
export type SchoolRow = Selectable<SchoolsTable>;
export type MembershipRow = Selectable<NetworkMembershipsTable>;

export const insertNetwork = (db: Db, row: NetworkRow) => db.insertInto('networks').values(row).execute();
export const insertCompany = (db: Db, row: CompanyRow) => db.insertInto('companies').values(row).execute();
export const insertSite = (db: Db, row: SiteRow) => db.insertInto('company_sites').values(row).execute();
export const insertSchool = (db: Db, row: SchoolRow) => db.insertInto('schools').values(row).execute();
export const insertMembership = (db: Db, row: MembershipRow) => db.insertInto('network_memberships').values(row).execute();

export const findNetworkById = (db: Db, id: string) => db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
export const findNetworkByName = (db: Db, name: string) => db.selectFrom('networks').selectAll().where('name', '=', name).executeTakeFirst();
export const findCompanyById = (db: Db, id: string) => db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
export const findSchoolById = (db: Db, id: string) => db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst();
export const findSiteById = (db: Db, id: string) => db.selectFrom('company_sites').selectAll().where('id', '=', id).executeTakeFirst();
export const findMembershipById = (db: Db, id: string) =>
  db.selectFrom('network_memberships').selectAll().where('id', '=', id).executeTakeFirst();

export const listNetworks = (db: Db) => db.selectFrom('networks').selectAll().orderBy('name').execute();

export const listSitesOfCompany = (db: Db, companyId: string) =>
  db.selectFrom('company_sites').selectAll().where('company_id', '=', companyId).orderBy('is_main', 'desc').orderBy('name').execute();

export function findMembership(db: Db, networkId: string, kind: OrganisationKind, organisationId: string) {
  return db
    .selectFrom('network_memberships')
    .selectAll()
    .where('network_id', '=', networkId)
    .where(kind === 'company' ? 'company_id' : 'school_id', '=', organisationId)
    .executeTakeFirst();
}

export function listCompaniesInNetwork(db: Db, networkId: string, status: MembershipStatus) {
  return db
    .selectFrom('network_memberships as m')
    .innerJoin('companies as c', 'c.id', 'm.company_id')
    .select(['c.id', 'c.name', 'c.municipality', 'm.id as membership_id', 'm.status', 'm.message', 'm.created_at'])
    .where('m.network_id', '=', networkId)
    .where('m.status', '=', status)
    .orderBy('c.name')
    .execute();
}

export function listSchoolsInNetwork(db: Db, networkId: string, status: MembershipStatus) {
  return db
    .selectFrom('network_memberships as m')
    .innerJoin('schools as s', 's.id', 'm.school_id')
    .select(['s.id', 's.name', 's.municipality', 's.school_type', 'm.id as membership_id', 'm.status', 'm.message', 'm.created_at'])
    .where('m.network_id', '=', networkId)
    .where('m.status', '=', status)
    .orderBy('s.name')
    .execute();
}

export function listMembershipsOf(db: Db, kind: OrganisationKind, organisationId: string) {
  return db
    .selectFrom('network_memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['m.id', 'm.network_id', 'n.name as network_name', 'n.region', 'm.status', 'm.created_at'])
    .where(kind === 'company' ? 'm.company_id' : 'm.school_id', '=', organisationId)
    .orderBy('n.name')
    .execute();
}

export async function setMembershipDecision(db: Db, id: string, status: MembershipStatus, decidedBy: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('network_memberships')
    .set({ status, decided_by: decidedBy, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function reopenMembership(db: Db, id: string, requestedBy: string, message: string | null, at: string): Promise<void> {
  await db
    .updateTable('network_memberships')
    .set({ status: 'pending', requested_by: requestedBy, message, created_at: at, decided_at: null, decided_by: null })
    .where('id', '=', id)
    .where('status', '=', 'rejected')
    .execute();
}

export async function updateSite(
  db: Db,
  id: string,
  values: { name: string; municipality: string; address: string | null; meeting_point: string | null; directions: string | null },
) {
  await db.updateTable('company_sites').set(values).where('id', '=', id).execute();
}

export async function updateCompany(db: Db, id: string, values: { name: string; description: string | null }) {
  await db.updateTable('companies').set(values).where('id', '=', id).execute();
}
