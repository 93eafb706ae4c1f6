import type { Generated } from 'kysely';

/** Row types, exactly as stored. Instants are UTC ISO strings (see time/stockholm.ts). */
export type Role = 'platform_admin' | 'network_coordinator' | 'company_coordinator' | 'counsellor';
export const ROLES: readonly Role[] = ['platform_admin', 'network_coordinator', 'company_coordinator', 'counsellor'];

export type OrganisationKind = 'company' | 'school';
export type MembershipStatus = 'pending' | 'approved' | 'rejected';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'held';

export interface NetworksTable {
  id: string;
  name: string;
  region: string;
  created_at: string;
}

export interface CompaniesTable {
  id: string;
  name: string;
  municipality: string;
  description: string | null;
  created_at: string;
}

export interface CompanySitesTable {
  id: string;
  company_id: string;
  name: string;
  address: string | null;
  municipality: string;
  is_main: number;
  created_at: string;
}

export interface SchoolsTable {
  id: string;
  name: string;
  municipality: string;
  address: string | null;
  school_type: 'municipal' | 'independent';
  created_at: string;
}

export interface NetworkMembershipsTable {
  id: string;
  network_id: string;
  organisation_kind: OrganisationKind;
  company_id: string | null;
  school_id: string | null;
  status: MembershipStatus;
  message: string | null;
  requested_by: string | null;
  decided_by: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  network_id: string | null;
  company_id: string | null;
  school_id: string | null;
  locale: string;
  created_at: string;
  disabled_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailuresTable {
  id: string;
  email: string;
  ip: string;
  at: string;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  email: string;
  role: Role;
  network_id: string | null;
  company_id: string | null;
  school_id: string | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OutboxTable {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  claimed_until: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface Database {
  networks: NetworksTable;
  companies: CompaniesTable;
  company_sites: CompanySitesTable;
  schools: SchoolsTable;
  network_memberships: NetworkMembershipsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
  outbox: OutboxTable;
}

// Generated is re-exported so later tables can use it for server-filled columns.
export type { Generated };
