import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { OrganisationKind, Role } from '../db/types.ts';
import { newId } from '../auth/secrets.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, invalidFields, notFound } from '../http/errors.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { toDbInstant } from '../time/stockholm.ts';
import * as repo from './organisations.repository.ts';
import type {
  CompanyProfileInput,
  CreateNetworkInput,
  CreateOrganisationInput,
  CreateSchoolInput,
  SiteInput,
} from './organisations.schemas.ts';

export type { NetworkRow, CompanyRow, SchoolRow, SiteRow } from './organisations.repository.ts';

// ---- who may act on what (services check scope; route guards check roles) ----

export function isCoordinatorOf(actor: SessionUser, networkId: string): boolean {
  return actor.role === 'platform_admin' || (actor.role === 'network_coordinator' && actor.networkId === networkId);
}

function assertCoordinatorOf(actor: SessionUser, networkId: string): void {
  if (!isCoordinatorOf(actor, networkId)) throw forbidden();
}

function assertCompanyCoordinatorOf(actor: SessionUser, companyId: string): void {
  if (!(actor.role === 'company_coordinator' && actor.companyId === companyId)) throw forbidden();
}

/** Does the organisation a role needs exist? (network for coordinators, company, school) */
export async function organisationExists(db: Db, role: Role, id: string): Promise<boolean> {
  if (role === 'network_coordinator') return Boolean(await repo.findNetworkById(db, id));
  if (role === 'company_coordinator') return Boolean(await repo.findCompanyById(db, id));
  if (role === 'counsellor') return Boolean(await repo.findSchoolById(db, id));
  return false;
}

/** Is the company or school an approved member of the network? */
export async function isApprovedMember(db: Db, networkId: string, kind: OrganisationKind, id: string): Promise<boolean> {
  return (await repo.findMembership(db, networkId, kind, id))?.status === 'approved';
}

// ---- networks ----

export async function createNetwork(db: Db, actor: SessionUser, input: CreateNetworkInput, now: DateTime) {
  if (actor.role !== 'platform_admin') throw forbidden();
  const nameTaken = () => invalidFields({ name: { key: 'orgs.network_name_taken' } });
  if (await repo.findNetworkByName(db, input.name)) throw nameTaken();
  const row = { id: newId(), name: input.name, region: input.region, created_at: toDbInstant(now) };
  await repo.insertNetwork(db, row).catch((error: unknown) => {
    throw isUniqueViolation(error, 'networks', 'name') ? nameTaken() : error;
  });
  return row;
}

export const listNetworks = (db: Db) => repo.listNetworks(db);

export async function getNetwork(db: Db, id: string) {
  const network = await repo.findNetworkById(db, id);
  if (!network) throw notFound();
  return network;
}

/** A coordinator's overview: members and pending join requests. */
export async function networkOverview(db: Db, actor: SessionUser, networkId: string) {
  assertCoordinatorOf(actor, networkId);
  const network = await getNetwork(db, networkId);
  const [companies, schools, pendingCompanies, pendingSchools] = await Promise.all([
    repo.listCompaniesInNetwork(db, networkId, 'approved'),
    repo.listSchoolsInNetwork(db, networkId, 'approved'),
    repo.listCompaniesInNetwork(db, networkId, 'pending'),
    repo.listSchoolsInNetwork(db, networkId, 'pending'),
  ]);
  return { network, companies, schools, pending: [...pendingCompanies.map((c) => ({ ...c, kind: 'company' as const })), ...pendingSchools.map((s) => ({ ...s, kind: 'school' as const }))] };
}

// ---- companies and schools, created by a coordinator into their network ----

export async function createCompany(db: Db, actor: SessionUser, networkId: string, input: CreateOrganisationInput, now: DateTime) {
  assertCoordinatorOf(actor, networkId);
  await getNetwork(db, networkId);
  const at = toDbInstant(now);
  const company = { id: newId(), name: input.name, municipality: input.municipality, description: null, created_at: at };
  await repo.insertCompany(db, company);
  const mainSiteId = newId();
  await repo.insertSite(db, {
    id: mainSiteId,
    company_id: company.id,
    name: input.name,
    address: input.address,
    municipality: input.municipality,
    is_main: 1,
    meeting_point: null,
    directions: null,
    created_at: at,
  });
  await repo.insertMembership(db, approvedMembership(networkId, 'company', company.id, actor.id, at));
  return { ...company, mainSiteId };
}

export async function createSchool(db: Db, actor: SessionUser, networkId: string, input: CreateSchoolInput, now: DateTime) {
  assertCoordinatorOf(actor, networkId);
  await getNetwork(db, networkId);
  const at = toDbInstant(now);
  const school = {
    id: newId(),
    name: input.name,
    municipality: input.municipality,
    address: input.address,
    school_type: input.schoolType,
    created_at: at,
  };
  await repo.insertSchool(db, school);
  await repo.insertMembership(db, approvedMembership(networkId, 'school', school.id, actor.id, at));
  return school;
}

function approvedMembership(networkId: string, kind: OrganisationKind, id: string, actorId: string, at: string) {
  return {
    id: newId(),
    network_id: networkId,
    organisation_kind: kind,
    company_id: kind === 'company' ? id : null,
    school_id: kind === 'school' ? id : null,
    status: 'approved' as const,
    message: null,
    requested_by: actorId,
    decided_by: actorId,
    created_at: at,
    decided_at: at,
  };
}

// ---- join requests: a company or school asks, a coordinator of that network decides ----

function actorOrganisation(actor: SessionUser): { kind: OrganisationKind; id: string } {
  if (actor.role === 'company_coordinator' && actor.companyId) return { kind: 'company', id: actor.companyId };
  if (actor.role === 'counsellor' && actor.schoolId) return { kind: 'school', id: actor.schoolId };
  throw forbidden();
}

export async function requestToJoin(db: Db, actor: SessionUser, networkId: string, message: string | null, now: DateTime) {
  const org = actorOrganisation(actor);
  if (!(await repo.findNetworkById(db, networkId))) throw invalidFields({ networkId: { key: 'field.choose' } });
  const existing = await repo.findMembership(db, networkId, org.kind, org.id);
  const at = toDbInstant(now);
  if (existing?.status === 'rejected') {
    await repo.reopenMembership(db, existing.id, actor.id, message, at);
    return existing.id;
  }
  if (existing) throw new AppError('already_member');
  const id = newId();
  await repo.insertMembership(db, {
    id,
    network_id: networkId,
    organisation_kind: org.kind,
    company_id: org.kind === 'company' ? org.id : null,
    school_id: org.kind === 'school' ? org.id : null,
    status: 'pending',
    message,
    requested_by: actor.id,
    decided_by: null,
    created_at: at,
    decided_at: null,
  });
  return id;
}

export async function decideJoinRequest(db: Db, actor: SessionUser, membershipId: string, approve: boolean, now: DateTime) {
  const membership = await repo.findMembershipById(db, membershipId);
  if (!membership) throw notFound();
  assertCoordinatorOf(actor, membership.network_id);
  const changed = await repo.setMembershipDecision(db, membershipId, approve ? 'approved' : 'rejected', actor.id, toDbInstant(now));
  if (!changed) throw notFound();
  return membership.network_id;
}

/** The networks an organisation belongs to or has asked to join, and the ones it could ask. */
export async function membershipsOf(db: Db, kind: OrganisationKind, id: string) {
  const [memberships, networks] = await Promise.all([repo.listMembershipsOf(db, kind, id), repo.listNetworks(db)]);
  const taken = new Set(memberships.filter((m) => m.status !== 'rejected').map((m) => m.network_id));
  return { memberships, joinable: networks.filter((n) => !taken.has(n.id)) };
}

/** The networks a school is an approved member of (a counsellor's view of the catalogue). */
export async function approvedNetworkIdsOfSchool(db: Db, schoolId: string): Promise<string[]> {
  return (await repo.listMembershipsOf(db, 'school', schoolId)).filter((m) => m.status === 'approved').map((m) => m.network_id);
}

// ---- a company's own profile and sites ----

export async function companyProfile(db: Db, actor: SessionUser, companyId: string) {
  if (!(actor.role === 'platform_admin' || actor.companyId === companyId)) throw forbidden();
  const company = await repo.findCompanyById(db, companyId);
  if (!company) throw notFound();
  const [sites, membership] = await Promise.all([repo.listSitesOfCompany(db, companyId), membershipsOf(db, 'company', companyId)]);
  return { company, sites, ...membership };
}

export async function updateCompanyProfile(db: Db, actor: SessionUser, companyId: string, input: CompanyProfileInput) {
  assertCompanyCoordinatorOf(actor, companyId);
  await repo.updateCompany(db, companyId, input);
}

export async function addSite(db: Db, actor: SessionUser, companyId: string, input: SiteInput, now: DateTime) {
  assertCompanyCoordinatorOf(actor, companyId);
  const row = {
    id: newId(),
    company_id: companyId,
    name: input.name,
    municipality: input.municipality,
    address: input.address,
    meeting_point: input.meetingPoint,
    directions: input.directions,
    is_main: 0,
    created_at: toDbInstant(now),
  };
  await repo.insertSite(db, row);
  return row;
}

export async function editSite(db: Db, actor: SessionUser, siteId: string, input: SiteInput) {
  const site = await repo.findSiteById(db, siteId);
  if (!site) throw notFound();
  assertCompanyCoordinatorOf(actor, site.company_id);
  await repo.updateSite(db, siteId, {
    name: input.name,
    municipality: input.municipality,
    address: input.address,
    meeting_point: input.meetingPoint,
    directions: input.directions,
  });
}

export async function getSite(db: Db, actor: SessionUser, siteId: string) {
  const site = await repo.findSiteById(db, siteId);
  if (!site) throw notFound();
  assertCompanyCoordinatorOf(actor, site.company_id);
  return site;
}

export async function schoolProfile(db: Db, actor: SessionUser, schoolId: string) {
  if (!(actor.role === 'platform_admin' || actor.schoolId === schoolId)) throw forbidden();
  const school = await repo.findSchoolById(db, schoolId);
  if (!school) throw notFound();
  return { school, ...(await membershipsOf(db, 'school', schoolId)) };
}

/** Companies and schools that are approved members of a network (for invitations). */
export async function approvedOrganisations(db: Db, networkId: string) {
  const [companies, schools] = await Promise.all([
    repo.listCompaniesInNetwork(db, networkId, 'approved'),
    repo.listSchoolsInNetwork(db, networkId, 'approved'),
  ]);
  return { companies, schools };
}

/**
 * Which of these companies the viewer works with: its own company; companies approved in the
 * viewer's network (coordinators) or in a network the viewer's school is approved in
 * (counsellors); every company for a platform admin. Used to share contact details only there.
 */
export async function companiesWorkingWith(db: Db, viewer: SessionUser | null, companyIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(companyIds)];
  if (!viewer || ids.length === 0) return new Set();
  if (viewer.role === 'platform_admin') return new Set(ids);
  if (viewer.role === 'company_coordinator') return new Set(ids.filter((id) => id === viewer.companyId));
  const networkIds = viewer.role === 'network_coordinator' ? [viewer.networkId!] : await approvedNetworkIdsOfSchool(db, viewer.schoolId!);
  if (networkIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('network_memberships')
    .select('company_id')
    .where('network_id', 'in', networkIds)
    .where('status', '=', 'approved')
    .where('company_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.company_id!));
}
