import type { SlotFormat } from '../db/types.ts';
import type { Grade } from '../slots/minors.ts';
import type { CompanyKey } from './organisations.ts';

/**
 * What each demo company offers during the spring term: one offer becomes a slot in each of its
 * weeks, or — with `seriesDays` — a series of that many days in a row (e.g. two mornings) each
 * week. A host's offers use different weekdays or weeks, so no host is in two places at once.
 */
export interface DemoOffer {
  company: CompanyKey;
  /** Story keys of the professionals who host it. */
  hosts: string[];
  format: SlotFormat;
  from: string;
  to: string;
  capacity: number;
  minGroup?: number;
  grades: Grade[];
  /** 1 = Monday … 5 = Friday */
  weekday: number;
  weeks: number[];
  seriesDays?: number;
  draft?: boolean;
  activities: string;
  bring?: string;
  provided?: string;
  accessibility?: string;
}

const SAFETY = 'Hjälm, skyddsglasögon, hörselskydd och skyddsskor (storlek 35–47) får du låna. Lunch ingår.';
const LUNCH = 'Lunch i vår personalmatsal ingår.';

export const demoOffers: DemoOffer[] = [
  // Nordljus Energi, Karlstad
  { company: 'nordljus', hosts: ['amina'], format: 'shadow_day', from: '08:00', to: '15:00', capacity: 2, grades: ['8', '9'], weekday: 2, weeks: [11, 13, 15, 17, 19],
    activities: 'Följ Amina en hel dag. Du räknar på hur mycket el ett bostadsområde behöver och följer med till ett ställverk (på säkert avstånd).', bring: 'Kläder efter väder och bekväma skor.', provided: SAFETY,
    accessibility: 'Kontoret nås utan trappor. Ställverket är grusat och ojämnt; säg till så visar vi det på surfplatta i stället.' },
  { company: 'nordljus', hosts: ['pelle'], format: 'half_day', from: '08:00', to: '12:00', capacity: 3, grades: ['8', '9'], weekday: 4, weeks: [12, 14, 16, 17, 20],
    activities: 'Besök vattenkraftverket i Klarälven: kontrollrummet, turbinhallen och dammluckorna. Du får se hur man startar ett aggregat.', bring: 'Varm jacka – det är kallt i turbinhallen.', provided: 'Hörselskydd och hjälm. Fika.',
    accessibility: 'Turbinhallen nås med trappor och en smal hiss; kontakta oss innan om du använder rullstol.' },
  { company: 'nordljus', hosts: ['amina', 'pelle'], format: 'group_morning', from: '08:30', to: '11:30', capacity: 12, minGroup: 4, grades: ['8', '9'], weekday: 3, weeks: [13, 19], seriesDays: 2,
    activities: 'Två förmiddagar om framtidens el. Dag 1 bygger ni en liten solcellsladdare i grupp. Dag 2 mäter ni hur mycket el den ger och jämför med vattenkraften.', provided: 'Allt material och fika.' },
  { company: 'nordljus', hosts: ['amina'], format: 'digital', from: '13:00', to: '14:00', capacity: 30, grades: ['7', '8', '9'], weekday: 5, weeks: [11, 18],
    activities: 'Fråga en elkraftingenjör! En timme på video där Amina visar elnätet på kartan och svarar på era frågor. Passar en hel klass.', bring: 'En dator eller storbild i klassrummet.' },
  { company: 'nordljus', hosts: ['amina'], format: 'shadow_day', from: '08:00', to: '16:00', capacity: 1, grades: ['gy2', 'gy3'], weekday: 1, weeks: [20], draft: true,
    activities: 'För dig på Teknik- eller El- och energiprogrammet: var med i ett riktigt nätprojekt en dag.' },

  // Älvdalens Verkstad, Kristinehamn
  { company: 'alvdalen', hosts: ['linnea'], format: 'shadow_day', from: '07:30', to: '14:30', capacity: 1, grades: ['9'], weekday: 1, weeks: [12, 14, 16, 18],
    activities: 'Stå bredvid Linnea vid CNC-maskinen. Du får mäta delar med skjutmått och mikrometer och se hur ett program blir en färdig stålbit.', bring: 'Långbyxor och tröja som får bli smutsiga.', provided: SAFETY },
  { company: 'alvdalen', hosts: ['sanna'], format: 'half_day', from: '08:00', to: '12:00', capacity: 2, grades: ['8', '9'], weekday: 3, weeks: [11, 13, 15, 17, 19],
    activities: 'Programmera en svetsrobot tillsammans med Sanna och se den köra (bakom ett skyddsstaket). Du får också testa en handkontroll till en robot.', provided: SAFETY },
  { company: 'alvdalen', hosts: ['ali', 'linnea'], format: 'group_morning', from: '08:00', to: '11:00', capacity: 10, minGroup: 5, grades: ['8', '9'], weekday: 2, weeks: [15, 20], seriesDays: 2,
    activities: 'Prova på verkstad två förmiddagar: svetsa i en simulator, mät och kontrollera delar, och se robotcellen i arbete. Dag två bygger ni en liten nyckelhängare i stål att ta med hem.', provided: SAFETY },
  { company: 'alvdalen', hosts: ['ali'], format: 'shadow_day', from: '07:00', to: '16:00', capacity: 2, grades: ['gy1', 'gy2', 'gy3'], weekday: 4, weeks: [12, 16, 20],
    activities: 'För dig på Industritekniska programmet: följ produktionsledaren en hel dag, från morgonmötet till planeringen av nästa vecka.', provided: SAFETY },

  // Glaskupan Design, Arvika
  { company: 'glaskupan', hosts: ['elin'], format: 'shadow_day', from: '08:30', to: '15:00', capacity: 1, grades: ['8', '9'], weekday: 2, weeks: [12, 15, 18],
    activities: 'Gör din egen 3D-modell av ett glas i datorn tillsammans med Elin. Om tiden räcker skriver vi ut den i 3D-skrivaren.', provided: LUNCH, accessibility: 'Kontoret ligger en trappa upp och det finns ingen hiss; säg till så sitter vi i butiken i stället.' },
  { company: 'glaskupan', hosts: ['jonatan'], format: 'half_day', from: '09:00', to: '12:00', capacity: 3, grades: ['8', '9'], weekday: 4, weeks: [11, 13, 16, 19],
    activities: 'Var designer en förmiddag: intervjua en användare, skissa en idé och bygg en modell i papp.', bring: 'Gärna en sak hemifrån som du tycker är dåligt designad!' },
  { company: 'glaskupan', hosts: ['elin', 'jonatan'], format: 'digital', from: '14:00', to: '15:30', capacity: 25, grades: ['7', '8', '9'], weekday: 3, weeks: [14, 17],
    activities: 'Digital workshop för en klass: från skiss till 3D-modell. Vi visar hur en lampa tas fram och ni röstar fram nästa färg.', bring: 'Papper och penna till varje elev.' },
  { company: 'glaskupan', hosts: ['jonatan'], format: 'half_day', from: '13:00', to: '16:00', capacity: 4, grades: ['gy1', 'gy2'], weekday: 1, weeks: [12, 17],
    activities: 'För dig på Teknik- eller Estetiska programmet: var med på ett riktigt designmöte och testa en produkt på användare.' },

  // Vänerport Logistik, Karlstad
  { company: 'vanerport', hosts: ['fatima'], format: 'half_day', from: '08:00', to: '12:00', capacity: 2, grades: ['8', '9'], weekday: 1, weeks: [11, 14, 15, 17, 19],
    activities: 'Planera en containers resa från båten till butiken tillsammans med Fatima. Du får se hamnen från kontrollrummet och lyssna när planen ändras.', provided: 'Varselväst. Fika.',
    accessibility: 'Kontoret nås med hiss. På kajen går vi bara på markerade gångvägar.' },
  { company: 'vanerport', hosts: ['tobias'], format: 'shadow_day', from: '07:00', to: '14:00', capacity: 1, grades: ['9'], weekday: 3, weeks: [12, 14, 16, 18, 20],
    activities: 'Jobba i fordonsverkstaden med Tobias: felsök en lastbil med datorn, byt hjul på en truck och kolla bromsarna.', bring: 'Kläder som får bli oljiga.', provided: 'Overall, skyddsskor och handskar. Lunch ingår.' },
  { company: 'vanerport', hosts: ['kim'], format: 'group_morning', from: '08:30', to: '11:30', capacity: 8, minGroup: 3, grades: ['8', '9'], weekday: 4, weeks: [14, 19], seriesDays: 2,
    activities: 'Programmera lagret, två förmiddagar. Dag 1 följer ni en pall genom systemet. Dag 2 bygger ni en liten app som visar var den är just nu.', provided: 'Datorer och fika.' },
  { company: 'vanerport', hosts: ['kim'], format: 'digital', from: '10:00', to: '11:00', capacity: 30, grades: ['7', '8', '9'], weekday: 2, weeks: [12, 16, 20],
    activities: 'Hur vet en container vart den ska? Kim visar systemen bakom hamnen på video och svarar på klassens frågor.' },

  // Billingens Elteknik, Skövde
  { company: 'billingen', hosts: ['hanna'], format: 'shadow_day', from: '07:00', to: '14:00', capacity: 1, grades: ['8', '9'], weekday: 2, weeks: [11, 13, 15, 17, 19],
    activities: 'Följ med Hanna ut på ett bygge. Du får hjälpa till att dra kabel, skala ledningar och koppla in ett uttag (utan spänning, förstås).', bring: 'Kläder efter väder, gärna arbetsskor.', provided: SAFETY },
  { company: 'billingen', hosts: ['mattias'], format: 'half_day', from: '08:30', to: '12:00', capacity: 2, grades: ['8', '9'], weekday: 4, weeks: [12, 14, 16, 20],
    activities: 'Rita el till ett litet hus i ett riktigt ritprogram, och se hur ritningen blir ett färdigt elskåp i verkstaden.', provided: 'Fika.' },
  { company: 'billingen', hosts: ['hanna', 'mattias'], format: 'group_morning', from: '08:30', to: '11:30', capacity: 12, minGroup: 4, grades: ['8', '9'], weekday: 3, weeks: [15, 19], seriesDays: 2,
    activities: 'Elskola två förmiddagar. Dag 1 kopplar ni en strömbrytare och en lampa på en övningsvägg. Dag 2 bygger ni en laddstation för mobilen.', provided: 'Verktyg, material och fika.' },
  { company: 'billingen', hosts: ['hanna'], format: 'shadow_day', from: '07:00', to: '16:00', capacity: 2, grades: ['gy2', 'gy3'], weekday: 5, weeks: [14, 18],
    activities: 'För dig på El- och energiprogrammet som funderar på lärlingstid: jobba med Hannas lag en hel dag.', provided: SAFETY },

  // Kinnekulle Processteknik, Götene
  { company: 'kinnekulle', hosts: ['emir'], format: 'shadow_day', from: '08:00', to: '15:00', capacity: 2, grades: ['8', '9'], weekday: 1, weeks: [11, 14, 17, 20],
    activities: 'En dag med kemiingenjören: blanda ett nytt recept i labbet, mät hur det blev och följ med ut i fabriken.', provided: 'Labbrock, skyddsglasögon och lunch.' },
  { company: 'kinnekulle', hosts: ['lena'], format: 'half_day', from: '08:00', to: '12:00', capacity: 2, grades: ['9'], weekday: 3, weeks: [12, 15, 18],
    activities: 'Analysera riktiga prover från fabriken tillsammans med Lena och se om de klarar kraven.', provided: 'Labbrock och skyddsglasögon. Fika.',
    accessibility: 'Labbet ligger på bottenplan och nås utan trappor.' },
  { company: 'kinnekulle', hosts: ['nora'], format: 'shadow_day', from: '06:00', to: '14:00', capacity: 1, grades: ['gy2', 'gy3'], weekday: 2, weeks: [13, 16, 19],
    activities: 'Följ ett förmiddagsskift i kontrollrummet med Nora, från överlämningen 06.00 till skiftbytet.', provided: SAFETY },
  { company: 'kinnekulle', hosts: ['nora', 'emir'], format: 'group_morning', from: '09:00', to: '11:30', capacity: 15, minGroup: 6, grades: ['8', '9'], weekday: 4, weeks: [12, 19],
    activities: 'Studiebesök med kemishow: från kalksten till färdig produkt. Ni gör ett eget experiment i labbet.', provided: 'Skyddsglasögon och fika.' },

  // Vallby Robotik, Lidköping
  { company: 'vallby', hosts: ['ronja'], format: 'shadow_day', from: '08:00', to: '15:00', capacity: 2, grades: ['8', '9'], weekday: 3, weeks: [11, 13, 15, 17, 19],
    activities: 'Testa en ny industrirobot tillsammans med Ronja: lär den att plocka och sortera, och se den arbeta i full fart.', provided: LUNCH,
    accessibility: 'Hela huset nås utan trappor och det finns en toalett anpassad för rullstol.' },
  { company: 'vallby', hosts: ['ronja', 'daniel'], format: 'group_morning', from: '08:30', to: '11:30', capacity: 10, minGroup: 4, grades: ['8', '9'], weekday: 1, weeks: [12, 16], seriesDays: 2,
    activities: 'Robotskola två förmiddagar. Dag 1 programmerar ni en liten robot i grupp. Dag 2 tävlar ni om vem som klarar banan snabbast.', provided: 'Robotar, datorer och fika.' },
  { company: 'vallby', hosts: ['daniel'], format: 'digital', from: '13:00', to: '14:00', capacity: 30, grades: ['7', '8', '9'], weekday: 5, weeks: [14, 18],
    activities: 'Följ med på ett servicebesök via video: Daniel felsöker en robot hos en kund, och klassen får gissa vad som är fel.' },
  { company: 'vallby', hosts: ['daniel'], format: 'shadow_day', from: '07:30', to: '16:30', capacity: 2, grades: ['gy3', 'yh'], weekday: 4, weeks: [13, 17, 20],
    activities: 'För dig som läser automation på gymnasiet eller yrkeshögskolan: åk med på servicebesök hos två kunder.', bring: 'Id-handling – vissa kunder kräver det.', provided: SAFETY },

  // Hornborga Bygg & Miljö, Falköping
  { company: 'hornborga', hosts: ['klara'], format: 'shadow_day', from: '07:00', to: '14:00', capacity: 2, grades: ['8', '9'], weekday: 2, weeks: [12, 14, 16, 18, 20],
    activities: 'Följ med på bygget av ett trähus: morgonmöte, skyddsrond och snickeri. Du får mäta, såga och skruva med riktiga verktyg.', bring: 'Kläder som får bli smutsiga.', provided: 'Hjälm, varselväst, skyddsskor (storlek 35–47), handskar och lunch.' },
  { company: 'hornborga', hosts: ['oskar'], format: 'half_day', from: '08:00', to: '12:00', capacity: 3, grades: ['8', '9'], weekday: 4, weeks: [11, 15, 19],
    activities: 'Ta vatten- och jordprover med Oskar och analysera dem. Vi är ute större delen av tiden.', bring: 'Stövlar och regnkläder.' },
  { company: 'hornborga', hosts: ['tove'], format: 'shadow_day', from: '07:00', to: '14:00', capacity: 1, grades: ['9'], weekday: 3, weeks: [13, 17],
    activities: 'Montera en värmepump och dra rör tillsammans med Tove.', bring: 'Arbetskläder om du har.', provided: SAFETY },
  { company: 'hornborga', hosts: ['oskar', 'tove'], format: 'group_morning', from: '08:30', to: '11:30', capacity: 12, minGroup: 4, grades: ['8', '9'], weekday: 1, weeks: [17], seriesDays: 2,
    activities: 'Hållbart byggande två förmiddagar. Dag 1 sorterar ni byggavfall och mäter vatten. Dag 2 räknar ni på hur mycket energi en värmepump sparar.', provided: 'Fika och material.' },
];
