import type { Db } from '../db/database.ts';
import type { Pupil } from '../pupils/pupils.service.ts';
import { formatDeadline, formatDateTime, formatRange } from '../time/stockholm.ts';
import type { Placement } from './placements.ts';
import { isWishWindowOpen, roundPhase, type Round } from './round.ts';
import { roundsOfSchool } from './rounds.repository.ts';
import { datesText, phaseText, windowText, type Look } from './rounds.view.ts';
import { pupilInRound, type SchoolChoices, type Wish } from './wishes.service.ts';

/** What the wish pages show, already worded and formatted (the pupil's, and the counsellor's). */

export const wishesPath = (token: string): string => `/p/${token}/wishes`;
export const pupilResultPath = (token: string, roundId: string): string => `/p/${token}/rounds/${roundId}`;

/** A placement as pupils and counsellors read it: who, when (each day of a series), where, what kind, whom they meet. */
export function placementView(p: Placement, { t, locale }: Look) {
  return {
    id: p.id,
    company: p.companyName,
    when: p.times.map((x) => formatRange(x.startsAt, x.endsAt, locale)),
    // A company's main site is usually named after the company: no need to say it twice.
    where: [p.siteName === p.companyName ? '' : p.siteName, p.municipality].filter(Boolean).join(', '),
    format: t(`slots.format_${p.format}`),
    seats: t('wishes.seats', { count: p.capacity }),
    hosts: p.hosts.map((h) => ({ href: `/stories/${h.storyId}`, label: t('wishes.read_story', { name: h.displayName, title: h.roleTitle }) })),
  };
}
export type PlacementView = ReturnType<typeof placementView>;

/** One line for a placement: "Företag AB, tis 6 april 2027, 08.00–12.00, Karlstad". */
export const placementLine = (p: Placement, look: Look): string => {
  const v = placementView(p, look);
  return look.t('wishes.choice_label', { company: v.company, when: v.when.join('; '), where: v.where });
};

/** A wish in a list: its placement, or word that it is gone (a cancelled slot, say). */
function wishLine(wish: Wish, choices: SchoolChoices, look: Look) {
  const placement = choices.byId.get(wish.placementId);
  return { rank: wish.rank, placementId: wish.placementId, text: placement ? placementLine(placement, look) : look.t('wishes.wish_gone'), gone: !placement };
}

// ---- the pupil's page ----

export interface PupilRoundState {
  /** The round whose action failed, with what went wrong (shown at the top of its section). */
  problem?: { roundId: string; messages: string[] };
  /** The round whose list was just saved. */
  savedRoundId?: string;
}

/** The rounds a pupil takes part in (their school and grade), newest first. */
export async function roundsOfPupil(db: Db, pupil: Pupil): Promise<Round[]> {
  return (await roundsOfSchool(db, pupil.schoolId)).filter((r) => pupilInRound(r, pupil));
}

export function pupilRoundView(round: Round, pupil: Pupil, wishes: readonly Wish[], choices: SchoolChoices, token: string, look: Look, state: PupilRoundState) {
  const { t, locale } = look;
  const phase = roundPhase(round, look.now);
  const open = phase === 'wishes_open';
  const close = formatDeadline(round.wishesCloseAt, locale);
  const chosen = new Set(wishes.map((w) => w.placementId));
  const list = wishes.map((w, i) => ({ ...wishLine(w, choices, look), first: i === 0, last: i === wishes.length - 1 }));
  const full = wishes.length >= round.maxWishes;
  const bookedByHand = choices.bookedByHand(pupil.id);
  const windowLine =
    phase === 'upcoming'
      ? t('wishes.pupil_window_upcoming', { open: formatDateTime(round.wishesOpenAt, locale), close })
      : open
        ? t('wishes.pupil_window_open', { close })
        : t('wishes.pupil_window_closed');
  return {
    id: round.id,
    name: round.name,
    action: `${wishesPath(token)}/${round.id}`,
    open,
    // Before the window, pupils can already read about what they will choose from.
    showChoices: open || phase === 'upcoming',
    intro: t('wishes.pupil_intro', { max: round.maxWishes }),
    windowLine,
    list,
    full,
    fullText: t('wishes.list_full', { max: round.maxWishes }),
    addLabel: t('wishes.add', { rank: wishes.length + 1 }),
    choices: choices.forPupil(pupil).filter((p) => !chosen.has(p.id)).map((p) => placementView(p, look)),
    bookedByHand: bookedByHand ? t('wishes.pupil_booked_by_hand', { company: bookedByHand.companyName }) : null,
    resultHref: round.committedAllocationId ? pupilResultPath(token, round.id) : null,
    problem: state.problem?.roundId === round.id ? state.problem.messages : [],
    saved: state.savedRoundId === round.id && open ? t('wishes.saved_pupil', { close }) : null,
  };
}

/** The link on the pupil's own page, when a round's window is open or coming (null otherwise). */
export async function wishesTeaser(db: Db, pupil: Pupil, token: string, look: Look) {
  const { t, locale, now } = look;
  const rounds = (await roundsOfPupil(db, pupil)).filter((r) => isWishWindowOpen(r, now));
  // The round open now comes first; otherwise the one that opens soonest.
  const round = rounds.find((r) => roundPhase(r, now) === 'wishes_open') ?? rounds.sort((a, b) => a.wishesOpenAt.localeCompare(b.wishesOpenAt))[0];
  if (!round) return null;
  const open = roundPhase(round, now) === 'wishes_open';
  const params = { round: round.name, open: formatDateTime(round.wishesOpenAt, locale), close: formatDeadline(round.wishesCloseAt, locale) };
  return {
    title: t('wishes.teaser_title'),
    text: t(open ? 'wishes.teaser_open' : 'wishes.teaser_upcoming', params),
    href: wishesPath(token),
    link: t(open ? 'wishes.teaser_link_open' : 'wishes.teaser_link_upcoming'),
  };
}

// ---- the counsellor's pages ----

export function schoolRoundsView(rounds: readonly Round[], schoolId: string, counts: Map<string, Map<string, { pupils: number; withWishes: number }>>, look: Look) {
  return rounds.map((r) => {
    const school = r.schools.find((s) => s.schoolId === schoolId)!;
    const c = counts.get(r.id)?.get(schoolId) ?? { pupils: 0, withWishes: 0 };
    return {
      id: r.id,
      name: r.name,
      phase: phaseText(r, look),
      dates: datesText(school, look),
      window: windowText(r, look),
      withWishes: look.t('wishes.with_count', { with: c.withWishes, pupils: c.pupils }),
    };
  });
}

export function windowSentence(round: Round, { t, locale, now }: Look): string {
  const phase = roundPhase(round, now);
  const close = formatDeadline(round.wishesCloseAt, locale);
  if (phase === 'upcoming') return t('wishes.window_upcoming', { open: formatDateTime(round.wishesOpenAt, locale), close });
  return phase === 'wishes_open' ? t('wishes.window_open', { close }) : t('wishes.window_closed');
}

/** The school's pupils in the round by class, each with their wishes in order. */
export function schoolPupilsView(round: Round, pupils: readonly Pupil[], wishes: Map<string, Wish[]>, choices: SchoolChoices, names: (p: Pupil) => string, look: Look) {
  const open = roundPhase(round, look.now) === 'wishes_open';
  const classes = new Map<string, ReturnType<typeof pupilRow>[]>();
  function pupilRow(p: Pupil) {
    const own = wishes.get(p.id) ?? [];
    const byHand = choices.bookedByHand(p.id);
    return {
      id: p.id,
      name: names(p),
      wishes: own.map((w) => wishLine(w, choices, look)),
      byTheSchool: own.length > 0 && own[0]!.enteredBy !== null,
      bookedByHand: byHand ? look.t('wishes.booked_by_hand', { company: byHand.companyName }) : null,
      editHref: open ? `/school/rounds/${round.id}/pupils/${p.id}/wishes` : null,
    };
  }
  for (const p of pupils) classes.set(p.className, [...(classes.get(p.className) ?? []), pupilRow(p)]);
  return [...classes].map(([className, rows]) => ({ className, title: look.t('wishes.class_title', { className }), pupils: rows }));
}

/** The counsellor's form: one select per rank, each listing what the pupil may have (and what they already wished, even if gone). */
export function wishSelects(round: Round, pupil: Pupil, wishes: readonly Wish[], choices: SchoolChoices, look: Look) {
  const options = choices.forPupil(pupil).map((p) => ({ value: p.id, label: placementLine(p, look) }));
  const offered = new Set(options.map((o) => o.value));
  for (const w of wishes) if (!offered.has(w.placementId)) options.push({ value: w.placementId, label: wishLine(w, choices, look).text });
  const none = { value: '', label: look.t('wishes.none_option') };
  return Array.from({ length: round.maxWishes }, (_, i) => ({ name: `wish${i + 1}`, label: look.t('wishes.rank_label', { rank: i + 1 }), options: [none, ...options] }));
}

export function wishFormValues(round: Round, wishes: readonly Wish[]): Record<string, string> {
  return Object.fromEntries(Array.from({ length: round.maxWishes }, (_, i) => [`wish${i + 1}`, wishes[i]?.placementId ?? '']));
}
