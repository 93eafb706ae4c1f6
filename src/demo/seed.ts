import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import * as orgs from '../organisations/organisations.service.ts';
import { systemActor as system } from '../users/system-actor.ts';
import { createUser } from '../users/users.service.ts';
import { companies, networks, people, schools, type CompanyKey } from './organisations.ts';
import { createDemoPupils } from './pupils.ts';
import { createDemoBookings } from './bookings.ts';
import { createDemoRound } from './rounds.ts';
import { createMailer } from '../mail/mail.service.ts';
import { createDemoSlots } from './slots.ts';
import { createDemoStories } from './stories.ts';

/** Everything here is fictional: people, companies and schools. Addresses use made-up streets. */
export const DEMO_PASSWORD = 'Prao-demo-2027';

export interface DemoSummary {
  password: string;
  accounts: { email: string; name: string; role: Role; organisation: string }[];
  stories: number;
  slots: number;
  bookings: number;
  /** Pupils with wishes in the demo round. */
  wishes: number;
}

/** Acting for a company, as its coordinator (`userId` is who is recorded as doing it). */
const coordinatorFor = (companyId: string, userId: string): SessionUser => ({ ...system, id: userId, role: 'company_coordinator', companyId });

export async function seedDemoData(db: Db, config: Config, now: DateTime): Promise<DemoSummary> {
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    for (const n of networks) {
      const row = await orgs.createNetwork(trx, system, { name: n.name, region: n.region }, now);
      ids.set(n.key, row.id);
      names.set(n.key, n.name);
    }
    for (const c of companies) {
      const row = await orgs.createCompany(trx, system, ids.get(c.network)!, c, now);
      ids.set(c.key, row.id);
      names.set(c.key, c.name);
      const site = { name: c.name, municipality: c.municipality, address: c.address, meetingPoint: c.meetingPoint, directions: c.directions };
      await orgs.editSite(trx, coordinatorFor(row.id, system.id), row.mainSiteId, site);
    }
    for (const s of schools) {
      const row = await orgs.createSchool(trx, system, ids.get(s.network)!, { ...s, address: null }, now);
      ids.set(s.key, row.id);
      names.set(s.key, s.name);
    }
  });
  const accounts: DemoSummary['accounts'] = [];
  /** The coordinator of each network and company that has one, by organisation key. */
  const coordinators = new Map<string, SessionUser>();
  for (const p of people) {
    const user = await createUser(db, { email: p.email, name: p.name, role: p.role, organisationId: ids.get(p.org), password: DEMO_PASSWORD }, now, config.passwordHashing);
    accounts.push({ email: p.email, name: p.name, role: p.role, organisation: names.get(p.org) ?? '' });
    if (p.role === 'company_coordinator' || p.role === 'network_coordinator') coordinators.set(p.org, user);
    // A school that books in two networks, and a company asking to join the other network.
    if (p.org === 'solbacke') await orgs.requestToJoin(db, user, ids.get('skaraborg')!, 'Vi vill gärna boka prao även i Skaraborg.', now);
    if (p.org === 'nordljus') await orgs.requestToJoin(db, user, ids.get('skaraborg')!, 'Vi har en anläggning i Skövde också.', now);
  }
  // Companies without a demo account had their stories and slots entered by their network's
  // coordinator, who is then recorded as having taken the professionals' consent.
  const coordinatorOf = (key: CompanyKey): SessionUser => {
    const company = companies.find((c) => c.key === key)!;
    return coordinators.get(key) ?? coordinatorFor(ids.get(key)!, coordinators.get(company.network)!.id);
  };
  const counts = await db.transaction().execute(async (trx) => {
    const storyIds = await createDemoStories(trx, coordinatorOf, now);
    return { stories: storyIds.size, slots: await createDemoSlots(trx, coordinatorOf, storyIds, now) };
  });
  await db.transaction().execute((trx) => createDemoPupils(trx, config, now));
  // Demo mails are kept in the outbox (never sent): the addresses are made up.
  const bookings = await createDemoBookings(db, { mailer: createMailer(undefined, config.mailFrom), config }, now);
  // After the bookings: a round holds its slots against booking by hand while wishes are open.
  const wishes = await createDemoRound(db, now);
  return { password: DEMO_PASSWORD, accounts, ...counts, bookings, wishes };
}

export function printDemoSignIns(demo: DemoSummary): void {
  console.log(`\nDemo data loaded (fictional people and companies): ${demo.stories} role stories, ${demo.slots} prao slots, ${demo.bookings} bookings, a prao round open for wishes (${demo.wishes} pupils have wished). Sign in with:`);
  for (const a of demo.accounts) {
    console.log(`  ${a.role.padEnd(20)} ${a.email.padEnd(42)} ${a.organisation}`);
  }
  console.log(`  Password for all demo accounts: ${demo.password}\n`);
}
