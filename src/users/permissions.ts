import type { Db } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import { forbidden } from '../http/errors.ts';
import { isApprovedMember } from '../organisations/organisations.service.ts';

/**
 * Who may give whom an account (by invitation in the UI, or POST /api/v1/users):
 * - a platform admin: anyone;
 * - a network coordinator: coordinators of their network, and company coordinators and
 *   counsellors of companies and schools that are approved members of it;
 * - a company coordinator: colleagues at their company; a counsellor: colleagues at their school.
 */
export async function mayGrant(db: Db, actor: SessionUser, role: Role, organisationId: string | null | undefined): Promise<boolean> {
  if (actor.role === 'platform_admin') return true;
  if (!organisationId) return false;
  switch (actor.role) {
    case 'network_coordinator': {
      const networkId = actor.networkId!;
      if (role === 'network_coordinator') return organisationId === networkId;
      if (role === 'company_coordinator') return isApprovedMember(db, networkId, 'company', organisationId);
      if (role === 'counsellor') return isApprovedMember(db, networkId, 'school', organisationId);
      return false;
    }
    case 'company_coordinator':
      return role === 'company_coordinator' && organisationId === actor.companyId;
    case 'counsellor':
      return role === 'counsellor' && organisationId === actor.schoolId;
  }
}

export async function assertMayGrant(db: Db, actor: SessionUser, role: Role, organisationId: string | null | undefined) {
  if (!(await mayGrant(db, actor, role, organisationId))) throw forbidden();
}
