import { describe, expect, it } from 'vitest';
import { pathProblems, type PathStep } from '../../src/stories/path.ts';

// The path from school to work, checked as a whole (the current year is 2027).

const NOW = 2027;
const step = (kind: PathStep['kind'], fromYear: number | null = null, toYear: number | null = null, programme: PathStep['programme'] = null): PathStep => ({
  kind,
  title: kind,
  fromYear,
  toYear,
  programme,
});

describe('pathProblems', () => {
  it.each<[string, PathStep[]]>([
    ['a path with no years at all', [step('grundskola'), step('gymnasium'), step('job')]],
    ['a whole path in time order', [step('grundskola', 2000, 2009), step('gymnasium', 2009, 2012, 'TE'), step('university', 2012, 2017), step('job', 2017)]],
    ['a step that starts and ends the same year', [step('gap', 2015, 2015)]],
    ['a step that starts this year', [step('job', NOW)]],
    ['two steps that start the same year', [step('job', 2020), step('apprenticeship', 2020)]],
    ['steps without years between steps with years', [step('gymnasium', 2010), step('other'), step('job', 2015)]],
    ['an end year in the future (still studying)', [step('university', 2024, 2029)]],
    ['a programme on a gymnasium step', [step('gymnasium', 2010, 2013, 'EE')]],
  ])('accepts %s', (_label, path) => {
    expect(pathProblems(path, NOW)).toEqual([]);
  });

  it('refuses an end year before the start year, at toYear', () => {
    expect(pathProblems([step('gymnasium', 2013, 2012)], NOW)).toEqual([{ index: 0, field: 'toYear', key: 'story.path_years_order' }]);
  });

  it('refuses a step that starts next year, at fromYear', () => {
    expect(pathProblems([step('job', 2020), step('university', NOW + 1)], NOW)).toEqual([{ index: 1, field: 'fromYear', key: 'story.path_future' }]);
  });

  it('refuses a programme on a step that is not gymnasium', () => {
    expect(pathProblems([step('yh', null, null, 'TE')], NOW)).toEqual([{ index: 0, field: 'programme', key: 'story.path_programme_only_gymnasium' }]);
  });

  it('refuses a step that starts before the step above it', () => {
    expect(pathProblems([step('job', 2015), step('gymnasium', 2010)], NOW)).toEqual([{ index: 1, field: 'fromYear', key: 'story.path_out_of_order' }]);
  });

  it('compares with the last step that has a start year, skipping steps without one', () => {
    expect(pathProblems([step('job', 2015), step('gap'), step('gymnasium', 2010)], NOW)).toEqual([{ index: 2, field: 'fromYear', key: 'story.path_out_of_order' }]);
  });

  it('names every problem, each at its own step', () => {
    const path = [step('gymnasium', 2013, 2010), step('job', 2013, null, 'TE'), step('university', 2030)];
    expect(pathProblems(path, NOW)).toEqual([
      { index: 0, field: 'toYear', key: 'story.path_years_order' },
      { index: 1, field: 'programme', key: 'story.path_programme_only_gymnasium' },
      { index: 2, field: 'fromYear', key: 'story.path_future' },
    ]);
  });
});
