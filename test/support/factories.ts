import { DateTime } from 'luxon';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Role } from '../../src/db/types.ts';
import type { SessionUser } from '../../src/http/context.ts';
import { systemActor } from '../../src/users/system-actor.ts';
import * as orgs from '../../src/organisations/organisations.service.ts';
import { createUser } from '../../src/users/users.service.ts';
import { TEST_NOW } from './app.ts';

/** Factories build the parents they need, with fixed readable names and dates. */
export const PASSWORD = 'correct horse battery';
const now = DateTime.fromISO(TEST_NOW, { zone: 'utc' });
let counter = 0;
const next = () => ++counter;

export { systemActor };

export async function makeNetwork(db: Db, name = `Nätverk ${next()}`) {
  return orgs.createNetwork(db, systemActor, { name, region: 'Värmland' }, now);
}

export async function makeCompany(db: Db, networkId?: string, name = `Företag ${next()} AB`) {
  const network = networkId ?? (await makeNetwork(db)).id;
  const company = await orgs.createCompany(db, systemActor, network, { name, municipality: 'Karlstad', address: 'Testgatan 1' }, now);
  return { ...company, networkId: network };
}

export async function makeSchool(db: Db, networkId?: string, name = `Skola ${next()}`) {
  const network = networkId ?? (await makeNetwork(db)).id;
  const school = await orgs.createSchool(db, systemActor, network, { name, municipality: 'Karlstad', address: null, schoolType: 'municipal' }, now);
  return { ...school, networkId: network };
}

/** A user of the role, with the organisation it needs (made when not given). */
export async function makeUser(db: Db, config: Config, role: Role, organisationId?: string, email?: string): Promise<SessionUser> {
  let orgId = organisationId;
  if (!orgId && role === 'network_coordinator') orgId = (await makeNetwork(db)).id;
  if (!orgId && role === 'company_coordinator') orgId = (await makeCompany(db)).id;
  if (!orgId && role === 'counsellor') orgId = (await makeSchool(db)).id;
  return createUser(
    db,
    { email: email ?? `${role.replace('_', '-')}-${next()}@teknikprao.test`, name: `Test ${role} ${counter}`, role, organisationId: orgId, password: PASSWORD },
    now,
    config.passwordHashing,
  );
}
