import type { SessionUser } from '../http/context.ts';

/** The actor for work the platform does itself (demo data, set-up scripts): a platform admin. */
export const systemActor: SessionUser = Object.freeze({
  id: 'system',
  email: 'system@teknikprao.invalid',
  name: 'System',
  role: 'platform_admin',
  networkId: null,
  companyId: null,
  schoolId: null,
  locale: 'sv',
});
