import type { Role } from '../db/types.ts';

// The demo's networks, companies, schools and people. Everything is fictional; streets, bus
// lines and phone numbers are made up (phone numbers are from the range PTS keeps for fiction).

export const networks = [
  { key: 'varmland', name: 'Tekniknätet Värmland', region: 'Värmland' },
  { key: 'skaraborg', name: 'Framtidsnätet Skaraborg', region: 'Skaraborg' },
] as const;

export const companies = [
  {
    key: 'nordljus',
    network: 'varmland',
    name: 'Nordljus Energi AB',
    municipality: 'Karlstad',
    address: 'Kraftverksvägen 4',
    meetingPoint: 'Receptionen vid huvudentrén. Säg att du är där för prao, så hämtar din handledare dig.',
    directions: 'Buss 2 från Stora torget till hållplatsen Kraftverksvägen, sedan tre minuter till fots. Cykelställ finns vid entrén.',
  },
  {
    key: 'alvdalen',
    network: 'varmland',
    name: 'Älvdalens Verkstad AB',
    municipality: 'Kristinehamn',
    address: 'Smedjegatan 12',
    meetingPoint: 'Personalingången på gaveln (grön dörr), ring på klockan märkt Verkstad.',
    directions: 'Tio minuters promenad från Kristinehamns station längs Smedjegatan. Buss 501 stannar vid Smedjegatan.',
  },
  {
    key: 'glaskupan',
    network: 'varmland',
    name: 'Glaskupan Design AB',
    municipality: 'Arvika',
    address: 'Hyttvägen 3',
    meetingPoint: 'Butiken på bottenvåningen. Vi möts vid kassan.',
    directions: 'Fem minuter från Arvika busstation, gå mot hamnen och sväng vänster vid glashyttan.',
  },
  {
    key: 'vanerport',
    network: 'varmland',
    name: 'Vänerport Logistik AB',
    municipality: 'Karlstad',
    address: 'Hamnpirsgatan 9',
    meetingPoint: 'Besöksentrén vid den blå porten. Gå inte in på hamnområdet på egen hand.',
    directions: 'Buss 6 till hållplatsen Hamnen. Följ de gula besökspilarna till den blå porten.',
  },
  {
    key: 'billingen',
    network: 'skaraborg',
    name: 'Billingens Elteknik AB',
    municipality: 'Skövde',
    address: 'Spänningsgatan 21',
    meetingPoint: 'Kontoret på plan 1. Vi åker tillsammans ut till dagens bygge.',
    directions: 'Stadsbuss 3 till hållplatsen Spänningsgatan. Det finns parkering för den som blir skjutsad.',
  },
  {
    key: 'kinnekulle',
    network: 'skaraborg',
    name: 'Kinnekulle Processteknik AB',
    municipality: 'Götene',
    address: 'Kalkugnsvägen 7',
    meetingPoint: 'Grindstugan vid infarten. Där får du ett besökskort och skyddsglasögon.',
    directions: 'Regionbuss till Götene busstation, sedan femton minuters promenad längs Kalkugnsvägen. Säg till om du behöver bli hämtad.',
  },
  {
    key: 'vallby',
    network: 'skaraborg',
    name: 'Vallby Robotik AB',
    municipality: 'Lidköping',
    address: 'Servogatan 2',
    meetingPoint: 'Receptionen. Det står Vallby Robotik på skylten ovanför dörren.',
    directions: 'Buss 1 till hållplatsen Servogatan, två minuter att gå. Hela huset nås utan trappor.',
  },
  {
    key: 'hornborga',
    network: 'skaraborg',
    name: 'Hornborga Bygg & Miljö AB',
    municipality: 'Falköping',
    address: 'Tranvägen 15',
    meetingPoint: 'Bygg-kontoret i den röda baracken bakom huvudhuset.',
    directions: 'Buss 300 till hållplatsen Tranvägen. Vi åker ofta vidare till ett bygge i bil; det står i bokningen.',
  },
] as const;

export type CompanyKey = (typeof companies)[number]['key'];

export const schools = [
  { key: 'solbacke', network: 'varmland', name: 'Solbackeskolan', municipality: 'Karlstad', schoolType: 'municipal' },
  { key: 'alvkullen', network: 'varmland', name: 'Älvkullens skola', municipality: 'Kristinehamn', schoolType: 'municipal' },
  { key: 'fryksta', network: 'varmland', name: 'Fryksta friskola', municipality: 'Kil', schoolType: 'independent' },
  { key: 'skogslund', network: 'skaraborg', name: 'Skogslundsskolan', municipality: 'Skövde', schoolType: 'municipal' },
  { key: 'kullen', network: 'skaraborg', name: 'Kullens skola', municipality: 'Falköping', schoolType: 'municipal' },
  { key: 'vallbyfri', network: 'skaraborg', name: 'Vallby friskola', municipality: 'Lidköping', schoolType: 'independent' },
] as const;

export const people: { email: string; name: string; role: Role; org: string }[] = [
  { email: 'admin@teknikprao.example', name: 'Alva Administratör', role: 'platform_admin', org: '' },
  { email: 'samordnare.varmland@teknikprao.example', name: 'Karin Lindqvist', role: 'network_coordinator', org: 'varmland' },
  { email: 'samordnare.skaraborg@teknikprao.example', name: 'Omar Haddad', role: 'network_coordinator', org: 'skaraborg' },
  { email: 'foretag@nordljus.example', name: 'Sara Nyström', role: 'company_coordinator', org: 'nordljus' },
  { email: 'foretag@billingen.example', name: 'Jonas Berg', role: 'company_coordinator', org: 'billingen' },
  { email: 'syv@solbacke.example', name: 'Leila Karimi', role: 'counsellor', org: 'solbacke' },
  { email: 'syv@skogslund.example', name: 'Erik Holm', role: 'counsellor', org: 'skogslund' },
];
