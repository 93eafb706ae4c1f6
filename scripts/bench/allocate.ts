// Allocation benchmark (first part): npx tsx scripts/bench/allocate.ts [--pupils 1000,20000] [--seed N]
//
// Generates a round as real ones look — a few very popular placements (popularity skewed by a
// power law), schools of different sizes, 5 wishes a pupil, one placement per four pupils with
// 1–6 seats — and times the exact solver (src/scheduler/solver.ts) and the check of its
// optimality certificate, with peak memory. The baselines the scheduler issue asks for (first
// come first served, random serial dictatorship, rank + lottery) are still to come.
import { parseArgs } from 'node:util';
import { checkCertificate, seededRandom, solve, type SolverInstance } from '../../src/scheduler/solver.ts';

const { values: args } = parseArgs({
  options: {
    pupils: { type: 'string', default: '1000,20000' },
    seed: { type: 'string', default: '2027' },
  },
});

export function generateRound(pupils: number, seed: number): SolverInstance {
  const random = seededRandom(seed);
  const placements = Math.max(1, Math.round(pupils / 4));
  // Schools of different sizes: 1 to 4 classes of 25.
  const schools: string[] = [];
  for (let s = 0; schools.length < pupils; s++) {
    const size = 25 * (1 + Math.floor(random() * 4));
    for (let i = 0; i < size && schools.length < pupils; i++) schools.push(`school-${s}`);
  }
  return {
    pupils: schools.map((school) => {
      const wishes = new Set<number>();
      while (wishes.size < Math.min(5, placements)) wishes.add(Math.floor(placements * random() ** 2.5));
      return { school, wishes: [...wishes] };
    }),
    capacities: Array.from({ length: placements }, () => 1 + Math.floor(random() * 6)),
    seed,
  };
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

console.log('| pupils | placements | seats | solve (s) | certificate check (s) | peak RSS (MB) | placed | wish 1 | wishes 1–3 | certificate |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const size of args.pupils.split(',').map(Number)) {
  const instance = generateRound(size, Number(args.seed));
  const seats = instance.capacities.reduce((a, b) => a + b, 0);
  const t0 = performance.now();
  const result = solve(instance);
  const t1 = performance.now();
  const problems = checkCertificate(result.certificate);
  const t2 = performance.now();
  // The process's peak resident memory so far (sizes run in increasing order, so it is this size's).
  const peak = process.resourceUsage().maxRSS * 1024;
  const top3 = result.byRank.slice(0, 3).reduce((a, b) => a + b, 0);
  console.log(
    `| ${size} | ${instance.capacities.length} | ${seats} | ${((t1 - t0) / 1000).toFixed(2)} | ${((t2 - t1) / 1000).toFixed(2)} | ${(peak / 2 ** 20).toFixed(0)} | ${pct(result.placed, size)} | ${pct(result.byRank[0] ?? 0, size)} | ${pct(top3, size)} | ${problems.length === 0 ? 'holds' : `FAILS: ${problems[0]}`} |`,
  );
}
