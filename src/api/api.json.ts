import type { SessionUser } from '../http/context.ts';
import type { Slot } from '../slots/slots.service.ts';
import type { Story } from '../stories/stories.service.ts';

/** Row → JSON for the API: what each caller may see, in the shapes api.schemas.ts declares. */

export function storyJson(story: Story) {
  const { id, companyId, name, title, pronoun, interest, dayAtWork, society, wishAt14, fields, published, updatedAt } = story;
  const path = story.path.map((step) => ({
    kind: step.kind,
    title: step.title,
    place: step.place ?? null,
    programme: step.programme ?? null,
    fromYear: step.fromYear ?? null,
    toYear: step.toYear ?? null,
  }));
  return { id, companyId, name, title, pronoun, path, interest, dayAtWork, society, wishAt14, fields, published, updatedAt };
}

export const isOwnSlot = (slot: Slot, viewer: SessionUser | null) =>
  viewer?.role === 'company_coordinator' && viewer.companyId === slot.companyId;

/**
 * A slot as `viewer` may see it: a host whose story is not published (no consent to be shown)
 * is listed only to the slot's own company, and the supervisor's contact only to those working
 * with the company (`showSupervisor`, see companiesWorkingWith).
 */
export function slotJson(slot: Slot, viewer: SessionUser | null, showSupervisor: boolean) {
  const own = isOwnSlot(slot, viewer);
  return {
    id: slot.id,
    companyId: slot.companyId,
    companyName: slot.companyName,
    siteId: slot.site.id,
    site: slot.site,
    format: slot.format,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    capacity: slot.capacity,
    minGroup: slot.minGroup,
    bookedCount: slot.bookedCount,
    seatsLeft: slot.seatsLeft,
    status: slot.status,
    grades: slot.grades,
    hosts: slot.hosts.filter((h) => own || h.published).map(({ storyId, name, title }) => ({ storyId, name, title })),
    activities: slot.activities,
    bring: slot.bring,
    provided: slot.provided,
    accessibility: slot.accessibility,
    seriesId: slot.seriesId,
    bookingOpensAt: slot.bookingOpensAt,
    bookingClosesAt: slot.bookingClosesAt,
    ...(showSupervisor ? { supervisorName: slot.supervisorName, supervisorPhone: slot.supervisorPhone } : {}),
  };
}
