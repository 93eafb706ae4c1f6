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
  meeting_point: string | null;
  directions: string | null;
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
  role_stories: RoleStoriesTable;
  story_path_steps: StoryPathStepsTable;
  story_fields: StoryFieldsTable;
  story_portraits: StoryPortraitsTable;
  slot_series: SlotSeriesTable;
  slots: SlotsTable;
  slot_grades: SlotGradesTable;
  slot_hosts: SlotHostsTable;
  pupils: PupilsTable;
  bookings: BookingsTable;
  booking_events: BookingEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  rounds: RoundsTable;
  round_schools: RoundSchoolsTable;
  round_wishes: RoundWishesTable;
  allocations: AllocationsTable;
  allocation_results: AllocationResultsTable;
}

// Generated is re-exported so later tables can use it for server-filled columns.
export type { Generated };

// ---- role stories and slots (migration 2026-11-23T01.00) ----

export interface RoleStoriesTable {
  id: string;
  company_id: string;
  display_name: string;
  role_title: string;
  pronoun: string | null;
  interest_text: string;
  day_text: string;
  society_text: string;
  wish_text: string;
  published: number;
  consent_person: string | null;
  consent_recorded_by: string | null;
  consent_at: string | null;
  consent_withdrawn_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoryPathStepsTable {
  id: string;
  story_id: string;
  position: number;
  kind: string;
  programme: string | null;
  title: string;
  place: string | null;
  from_year: number | null;
  to_year: number | null;
}

export interface StoryFieldsTable {
  story_id: string;
  field: string;
}

export interface StoryPortraitsTable {
  story_id: string;
  image: Buffer;
  width: number;
  height: number;
  updated_at: string;
}

export interface SlotSeriesTable {
  id: string;
  company_id: string;
  created_by: string | null;
  created_at: string;
}

export type SlotStatus = 'draft' | 'published' | 'cancelled';
export type SlotFormat = 'shadow_day' | 'half_day' | 'group_morning' | 'digital';

export interface SlotsTable {
  id: string;
  company_id: string;
  site_id: string;
  series_id: string | null;
  format: SlotFormat;
  starts_at: string;
  ends_at: string;
  capacity: number;
  min_group: number | null;
  booked_count: number;
  activities: string | null;
  bring: string | null;
  provided: string | null;
  accessibility: string | null;
  supervisor_name: string | null;
  supervisor_phone: string | null;
  status: SlotStatus;
  cancel_reason: string | null;
  cancelled_at: string | null;
  published_at: string | null;
  booking_opens_at: string | null;
  booking_closes_at: string | null;
  reminder_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SlotGradesTable {
  slot_id: string;
  grade: string;
}

export interface SlotHostsTable {
  slot_id: string;
  story_id: string;
  starts_at: string;
  ends_at: string;
  active: number;
}

// ---- pupils and bookings (migration 2026-11-23T03.00) ----

export type Gender = 'girl' | 'boy' | 'non_binary' | 'undisclosed';
export type BookingStatus = 'confirmed' | 'waitlisted' | 'cancelled';
export type CancelParty = 'school' | 'company' | 'system';
export type Attendance = 'present' | 'absent';

export interface PupilsTable {
  id: string;
  school_id: string;
  given_name: string;
  family_name: string;
  class_name: string;
  grade: string;
  birth_year: number | null;
  gender: Gender | null;
  protected_identity: number;
  code: string;
  link_salt: string | null;
  link_hash: string | null;
  link_issued_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BookingsTable {
  id: string;
  slot_id: string;
  pupil_id: string;
  school_id: string;
  status: BookingStatus;
  starts_at: string;
  ends_at: string;
  waitlisted_at: string | null;
  waitlist_position: number | null;
  confirmed_at: string | null;
  booked_by: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancelled_party: CancelParty | null;
  cancel_reason: string | null;
  cancelled_late: number;
  attendance: Attendance | null;
  attendance_at: string | null;
  attendance_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BookingEventsTable {
  id: string;
  booking_id: string;
  slot_id: string;
  pupil_id: string;
  school_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_role: string | null;
  via: 'ui' | 'api' | 'system';
  ip: string | null;
  detail: string | null;
  at: string;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  response_status: number;
  response_body: string;
  created_at: string;
}

// ---- rounds and allocations (migration 2026-11-23T04.00) ----

export type PlacementKind = 'slot' | 'series';
export type AllocationStatus = 'running' | 'ready' | 'failed' | 'committed';

export interface RoundsTable {
  id: string;
  network_id: string;
  name: string;
  wishes_open_at: string;
  wishes_close_at: string;
  max_wishes: number;
  /** Space-separated grades that take part, e.g. "8 9". */
  grades: string;
  allocation_planned_at: string | null;
  free_booking_opens_at: string | null;
  place_without_wishes: number;
  school_share_caps: number;
  committed_allocation_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RoundSchoolsTable {
  round_id: string;
  school_id: string;
  /** Local dates (Europe/Stockholm), both included: yyyy-MM-dd. */
  from_date: string;
  to_date: string;
}

export interface RoundWishesTable {
  round_id: string;
  pupil_id: string;
  rank: number;
  placement_id: string;
  placement_kind: PlacementKind;
  entered_by: string | null;
  updated_at: string;
}

export interface AllocationsTable {
  id: string;
  round_id: string;
  seed: number;
  status: AllocationStatus;
  progress: number;
  place_without_wishes: number;
  school_share_caps: number;
  input_hash: string | null;
  metrics: string | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
  committed_at: string | null;
  committed_by: string | null;
  /** Written by the process working on a running run (migration 2026-11-23T05.00); null before its first beat. */
  heartbeat_at: string | null;
}

export interface AllocationResultsTable {
  allocation_id: string;
  pupil_id: string;
  school_id: string;
  placement_id: string | null;
  placement_kind: PlacementKind | null;
  rank: number | null;
  outcome: string;
  explanation: string | null;
}
