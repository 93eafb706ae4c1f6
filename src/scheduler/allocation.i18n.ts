import { defineMessages } from '../i18n/define.ts';

/** The allocation: runs, preview, commit, results and their explanations. */
export const allocation = defineMessages({
  sv: {
    'allocation.title': 'Fördelning',
    'error.wishes_still_open': 'Tiden för önskemål är inte slut än. Välj att köra fördelningen ändå om du vill det.',
    'error.round_committed': 'Omgången har redan en fastställd fördelning.',
    'error.allocation_not_ready': 'Fördelningen är inte klar än.',
    'error.allocation_stale': 'Något har ändrats sedan förhandsvisningen (till exempel en plats som bokats för hand). Gör en ny förhandsvisning.',
  },
  en: {
    'allocation.title': 'Allocation',
    'error.wishes_still_open': 'The time for wishes is not over yet. Choose to run the allocation anyway if you want to.',
    'error.round_committed': 'The round already has a committed allocation.',
    'error.allocation_not_ready': 'The allocation is not finished yet.',
    'error.allocation_stale': 'Something has changed since the preview (for example a seat booked by hand). Make a new preview.',
  },
});
