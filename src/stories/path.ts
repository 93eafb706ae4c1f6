/** The path from school to work: the kinds of step, the national gymnasium programmes, fields. */

export const PATH_KINDS = ['grundskola', 'gymnasium', 'yh', 'university', 'apprenticeship', 'job', 'gap', 'other'] as const;
export type PathKind = (typeof PATH_KINDS)[number];

/** Skolverket's 18 national gymnasium programmes (codes as in the school systems). */
export const GYMNASIUM_PROGRAMMES = {
  BA: { sv: 'Bygg- och anläggningsprogrammet', en: 'Building and Construction' },
  BF: { sv: 'Barn- och fritidsprogrammet', en: 'Child and Recreation' },
  EE: { sv: 'El- och energiprogrammet', en: 'Electricity and Energy' },
  EK: { sv: 'Ekonomiprogrammet', en: 'Business Management and Economics' },
  ES: { sv: 'Estetiska programmet', en: 'Arts' },
  FT: { sv: 'Fordons- och transportprogrammet', en: 'Vehicle and Transport' },
  HA: { sv: 'Försäljnings- och serviceprogrammet', en: 'Sales and Service' },
  HT: { sv: 'Hotell- och turismprogrammet', en: 'Hotel and Tourism' },
  HU: { sv: 'Humanistiska programmet', en: 'Humanities' },
  HV: { sv: 'Hantverksprogrammet', en: 'Handicraft' },
  IN: { sv: 'Industritekniska programmet', en: 'Industrial Technology' },
  NA: { sv: 'Naturvetenskapsprogrammet', en: 'Natural Science' },
  NB: { sv: 'Naturbruksprogrammet', en: 'Natural Resource Use' },
  RL: { sv: 'Restaurang- och livsmedelsprogrammet', en: 'Restaurant Management and Food' },
  SA: { sv: 'Samhällsvetenskapsprogrammet', en: 'Social Science' },
  TE: { sv: 'Teknikprogrammet', en: 'Technology' },
  VF: { sv: 'VVS- och fastighetsprogrammet', en: 'HVAC and Property Maintenance' },
  VO: { sv: 'Vård- och omsorgsprogrammet', en: 'Health and Social Care' },
} as const;
export type ProgrammeCode = keyof typeof GYMNASIUM_PROGRAMMES;
export const PROGRAMME_CODES = Object.keys(GYMNASIUM_PROGRAMMES) as [ProgrammeCode, ...ProgrammeCode[]];

/** Fields of work a story (and the slots it hosts) can be found by. */
export const FIELDS = {
  it: { sv: 'IT', en: 'IT' },
  electrical_energy: { sv: 'El och energi', en: 'Electrical and energy' },
  production_mechanics: { sv: 'Produktion och mekanik', en: 'Production and mechanics' },
  vehicles: { sv: 'Fordon', en: 'Vehicles' },
  construction: { sv: 'Bygg', en: 'Construction' },
  design: { sv: 'Design', en: 'Design' },
  process_chemistry: { sv: 'Process och kemi', en: 'Process and chemistry' },
  logistics: { sv: 'Logistik', en: 'Logistics' },
  environment: { sv: 'Miljö', en: 'Environment' },
} as const;
export type FieldCode = keyof typeof FIELDS;
export const FIELD_CODES = Object.keys(FIELDS) as [FieldCode, ...FieldCode[]];

export interface PathStep {
  kind: PathKind;
  title: string;
  place?: string | null;
  programme?: ProgrammeCode | null;
  fromYear?: number | null;
  toYear?: number | null;
}

export type PathProblem = { index: number; field: 'fromYear' | 'toYear' | 'programme' | 'kind'; key: 'story.path_years_order' | 'story.path_programme_only_gymnasium' | 'story.path_future' | 'story.path_out_of_order' };

/**
 * Checks a path as a whole: each step's years in order, a programme only on gymnasium steps,
 * no step starting in the future, and steps in time order where years are given.
 */
export function pathProblems(steps: readonly PathStep[], currentYear: number): PathProblem[] {
  const problems: PathProblem[] = [];
  let lastStart: number | null = null;
  steps.forEach((step, index) => {
    if (step.fromYear != null && step.toYear != null && step.fromYear > step.toYear) {
      problems.push({ index, field: 'toYear', key: 'story.path_years_order' });
    }
    if (step.programme && step.kind !== 'gymnasium') problems.push({ index, field: 'programme', key: 'story.path_programme_only_gymnasium' });
    if (step.fromYear != null && step.fromYear > currentYear) problems.push({ index, field: 'fromYear', key: 'story.path_future' });
    if (step.fromYear != null) {
      if (lastStart !== null && step.fromYear < lastStart) problems.push({ index, field: 'fromYear', key: 'story.path_out_of_order' });
      lastStart = step.fromYear;
    }
  });
  return problems;
}
