import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/types.ts';
import * as orgs from '../organisations/organisations.service.ts';
import { systemActor as system } from '../users/system-actor.ts';
import { createUser } from '../users/users.service.ts';

/** Everything here is fictional: people, companies and schools. Addresses use made-up streets. */
export const DEMO_PASSWORD = 'Prao-demo-2027';

export interface DemoSummary {
  password: string;
  accounts: { email: string; name: string; role: Role; organisation: string }[];
}


const networks = [
  { key: 'varmland', name: 'Tekniknätet Värmland', region: 'Värmland' },
  { key: 'skaraborg', name: 'Framtidsnätet Skaraborg', region: 'Skaraborg' },
] as const;

const companies = [
  { key: 'nordljus', network: 'varmland', name: 'Nordljus Energi AB', municipality: 'Karlstad', address: 'Kraftverksvägen 4' },
  { key: 'alvdalen', network: 'varmland', name: 'Älvdalens Verkstad AB', municipality: 'Kristinehamn', address: 'Smedjegatan 12' },
  { key: 'glaskupan', network: 'varmland', name: 'Glaskupan Design AB', municipality: 'Arvika', address: 'Hyttvägen 3' },
  { key: 'vanerport', network: 'varmland', name: 'Vänerport Logistik AB', municipality: 'Karlstad', address: 'Hamnpirsgatan 9' },
  { key: 'billingen', network: 'skaraborg', name: 'Billingens Elteknik AB', municipality: 'Skövde', address: 'Spänningsgatan 21' },
  { key: 'kinnekulle', network: 'skaraborg', name: 'Kinnekulle Processteknik AB', municipality: 'Götene', address: 'Kalkugnsvägen 7' },
  { key: 'vallby', network: 'skaraborg', name: 'Vallby Robotik AB', municipality: 'Lidköping', address: 'Servogatan 2' },
  { key: 'hornborga', network: 'skaraborg', name: 'Hornborga Bygg & Miljö AB', municipality: 'Falköping', address: 'Tranvägen 15' },
] as const;

const schools = [
  { key: 'solbacke', network: 'varmland', name: 'Solbackeskolan', municipality: 'Karlstad', schoolType: 'municipal' },
  { key: 'alvkullen', network: 'varmland', name: 'Älvkullens skola', municipality: 'Kristinehamn', schoolType: 'municipal' },
  { key: 'fryksta', network: 'varmland', name: 'Fryksta friskola', municipality: 'Kil', schoolType: 'independent' },
  { key: 'skogslund', network: 'skaraborg', name: 'Skogslundsskolan', municipality: 'Skövde', schoolType: 'municipal' },
  { key: 'kullen', network: 'skaraborg', name: 'Kullens skola', municipality: 'Falköping', schoolType: 'municipal' },
  { key: 'vallbyfri', network: 'skaraborg', name: 'Vallby friskola', municipality: 'Lidköping', schoolType: 'independent' },
] as const;

const people: { email: string; name: string; role: Role; org: string }[] = [
  { email: 'admin@teknikprao.example', name: 'Alva Administratör', role: 'platform_admin', org: '' },
  { email: 'samordnare.varmland@teknikprao.example', name: 'Karin Lindqvist', role: 'network_coordinator', org: 'varmland' },
  { email: 'samordnare.skaraborg@teknikprao.example', name: 'Omar Haddad', role: 'network_coordinator', org: 'skaraborg' },
  { email: 'foretag@nordljus.example', name: 'Sara Nyström', role: 'company_coordinator', org: 'nordljus' },
  { email: 'foretag@billingen.example', name: 'Jonas Berg', role: 'company_coordinator', org: 'billingen' },
  { email: 'syv@solbacke.example', name: 'Leila Karimi', role: 'counsellor', org: 'solbacke' },
  { email: 'syv@skogslund.example', name: 'Erik Holm', role: 'counsellor', org: 'skogslund' },
];

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
    }
    for (const s of schools) {
      const row = await orgs.createSchool(trx, system, ids.get(s.network)!, { ...s, address: null }, now);
      ids.set(s.key, row.id);
      names.set(s.key, s.name);
    }
  });
  const accounts: DemoSummary['accounts'] = [];
  for (const p of people) {
    const user = await createUser(db, { email: p.email, name: p.name, role: p.role, organisationId: ids.get(p.org), password: DEMO_PASSWORD }, now, config.passwordHashing);
    accounts.push({ email: p.email, name: p.name, role: p.role, organisation: names.get(p.org) ?? '' });
    // A school that books in two networks, and a company asking to join the other network.
    if (p.org === 'solbacke') await orgs.requestToJoin(db, user, ids.get('skaraborg')!, 'Vi vill gärna boka prao även i Skaraborg.', now);
    if (p.org === 'nordljus') await orgs.requestToJoin(db, user, ids.get('skaraborg')!, 'Vi har en anläggning i Skövde också.', now);
  }
  return { password: DEMO_PASSWORD, accounts };
}

export function printDemoSignIns(demo: DemoSummary): void {
  console.log('\nDemo data loaded (fictional people and companies). Sign in with:');
  for (const a of demo.accounts) {
    console.log(`  ${a.role.padEnd(20)} ${a.email.padEnd(42)} ${a.organisation}`);
  }
  console.log(`  Password for all demo accounts: ${demo.password}\n`);
}
