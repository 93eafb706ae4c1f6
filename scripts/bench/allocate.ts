// Allocation benchmark:
//   npx tsx scripts/bench/allocate.ts [--pupils 1000,20000,100000] [--seed N] [--weeks W] [--share-caps]
//
// Generates rounds as real ones look — a few very popular placements (popularity skewed by a
// power law), schools of 25–100 pupils, 5 wishes a pupil, one placement per four pupils with
// 1–6 seats; with --weeks W > 1 the placements spread over W weeks, each school in one of
// them wishing only that week's placements; with --share-caps each school's share of an
// over-subscribed placement capped (src/scheduler/fairness.ts). On the same round it runs the
// exact solver (src/scheduler/solver.ts), checks its certificate and prices, explains it, and
// runs the three baselines (src/scheduler/baselines.ts). Prints markdown tables.
//
// Each size runs in a child process of its own (fork), so its peak resident memory
// (process.resourceUsage().maxRSS) is honest: "RSS before" is after generating the round,
// "peak RSS" is the child's peak right after the solve (generation + solve, nothing else yet).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstComeFirstServed, randomSerialDictatorship, rankLottery, type Allocation } from '../../src/scheduler/baselines.ts';
import { explain } from '../../src/scheduler/explain.ts';
import { schoolShareCaps } from '../../src/scheduler/fairness.ts';
import { allocationProblems, firstDifference, profileOf } from '../../src/scheduler/solver-profile.ts';
import { checkCertificate, checkPrices, seededRandom, solve, type SolverInstance } from '../../src/scheduler/solver.ts';

const { values: args } = parseArgs({
  options: {
    pupils: { type: 'string', default: '1000,20000,100000' },
    seed: { type: 'string', default: '2027' },
    weeks: { type: 'string', default: '1' },
    'share-caps': { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});

export function generateRound(pupils: number, seed: number, weeks = 1): SolverInstance {
  const random = seededRandom(seed);
  const placements = Math.max(1, Math.round(pupils / 4));
  // Placement j is in week j mod weeks; a school wishes within its week only.
  const inWeek = Array.from({ length: weeks }, (_, w) => Array.from({ length: Math.ceil((placements - w) / weeks) }, (_, i) => w + i * weeks));
  const schools: { name: string; week: number }[] = [];
  for (let s = 0; schools.length < pupils; s++) {
    const size = 25 * (1 + Math.floor(random() * 4));
    const week = weeks > 1 ? Math.floor(random() * weeks) : 0;
    for (let i = 0; i < size && schools.length < pupils; i++) schools.push({ name: `school-${s}`, week });
  }
  return {
    pupils: schools.map(({ name, week }) => {
      const eligible = inWeek[week]!;
      const wishes = new Set<number>();
      while (wishes.size < Math.min(5, eligible.length)) wishes.add(eligible[Math.floor(eligible.length * random() ** 2.5)]!);
      return { school: name, wishes: [...wishes] };
    }),
    capacities: Array.from({ length: placements }, () => 1 + Math.floor(random() * 6)),
    seed,
  };
}

interface Outcome {
  method: string;
  seconds: number;
  profile: number[];
}

interface SizeReport {
  pupils: number;
  placements: number;
  seats: number;
  solveSeconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
  certificate: string;
  checkSeconds: number;
  prices: string;
  explainSeconds: number;
  outcomes: Outcome[];
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const rssMb = () => (process.resourceUsage().maxRSS * 1024) / 2 ** 20;

function runSize(pupils: number, seed: number, weeks: number, shareCaps: boolean): SizeReport {
  const instance = generateRound(pupils, seed, weeks);
  if (shareCaps) instance.schoolCaps = schoolShareCaps(instance);
  const rssBeforeMb = rssMb();
  let t = performance.now();
  const result = solve(instance);
  const solveSeconds = seconds(t);
  const peakRssMb = rssMb();
  t = performance.now();
  const problems = [...checkCertificate(result.certificate), ...allocationProblems(instance, result)];
  const checkSeconds = seconds(t);
  const priceProblems = checkPrices(instance, result);
  t = performance.now();
  explain(instance, result);
  const explainSeconds = seconds(t);
  const outcomes: Outcome[] = [{ method: 'exact solver', seconds: solveSeconds, profile: profileOf(result) }];
  const baselines: [string, (i: SolverInstance, s: number) => Allocation][] = [
    ['first come, first served', firstComeFirstServed],
    ['random serial dictatorship', randomSerialDictatorship],
    ['rank + lottery', rankLottery],
  ];
  for (const [method, run] of baselines) {
    t = performance.now();
    const allocation = run(instance, seed);
    const took = seconds(t);
    const broken = allocationProblems(instance, allocation);
    if (broken.length > 0) throw new Error(`${method} broke a constraint: ${broken[0]}`);
    outcomes.push({ method, seconds: took, profile: profileOf(allocation) });
  }
  return {
    pupils,
    placements: instance.capacities.length,
    seats: instance.capacities.reduce((a, b) => a + b, 0),
    solveSeconds,
    rssBeforeMb,
    peakRssMb,
    certificate: problems.length === 0 ? 'holds' : `FAILS: ${problems[0]}`,
    checkSeconds,
    prices: priceProblems.length === 0 ? 'hold' : `FAIL: ${priceProblems[0]}`,
    explainSeconds,
    outcomes,
  };
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
const int = (n: number) => n.toLocaleString('en-US');
const componentName = (i: number) => (i === 0 ? 'placed' : `wish ${i}`);

/** How far the exact solver is ahead, in the order it optimises: the first component that differs. */
function lead(exact: number[], other: number[]): string {
  const d = firstDifference(exact, other);
  if (d === null) return 'equal';
  const sign = d.a > d.b ? '+' : '−';
  const equal = d.index === 0 ? '' : `same ${d.index === 1 ? 'placed' : `placed, wishes 1–${d.index - 1}`}; `;
  return `${equal}${sign}${int(Math.abs(d.a - d.b))} ${componentName(d.index)}`;
}

function printTables(reports: SizeReport[], weeks: number): void {
  console.log(`\nExact solver (seed ${args.seed}, weeks ${weeks}${args['share-caps'] ? ', school share caps' : ''}):\n`);
  console.log('| pupils | placements | seats | solve (s) | RSS before (MB) | peak RSS (MB) | certificate | check (s) | prices | explain (s) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |');
  for (const r of reports) {
    console.log(
      `| ${int(r.pupils)} | ${int(r.placements)} | ${int(r.seats)} | ${r.solveSeconds.toFixed(2)} | ${r.rssBeforeMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.certificate} | ${r.checkSeconds.toFixed(2)} | ${r.prices} | ${r.explainSeconds.toFixed(2)} |`,
    );
  }
  console.log('\nOutcomes on the same rounds (shares of all pupils):\n');
  console.log('| pupils | method | time (s) | placed | wish 1 | wishes 1–3 | unplaced | exact solver leads by |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of reports) {
    const exact = r.outcomes[0]!.profile;
    for (const o of r.outcomes) {
      const [placed = 0, w1 = 0, w2 = 0, w3 = 0] = o.profile;
      const leads = o === r.outcomes[0] ? '—' : lead(exact, o.profile);
      console.log(
        `| ${int(r.pupils)} | ${o.method} | ${o.seconds.toFixed(2)} | ${pct(placed, r.pupils)} | ${pct(w1, r.pupils)} | ${pct(w1 + w2 + w3, r.pupils)} | ${int(r.pupils - placed)} | ${leads} |`,
      );
    }
  }
}

function runChild(pupils: number): Promise<SizeReport> {
  return new Promise((resolve, reject) => {
    const flags = ['--child', '--pupils', String(pupils), '--seed', args.seed, '--weeks', args.weeks, ...(args['share-caps'] ? ['--share-caps'] : [])];
    const child = fork(fileURLToPath(import.meta.url), flags);
    child.on('message', (m) => resolve(m as SizeReport));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`size ${pupils}: child exited with ${code}`))));
  });
}

if (args.child) {
  process.send!(runSize(Number(args.pupils), Number(args.seed), Number(args.weeks), args['share-caps']), undefined, {}, () => process.exit(0));
} else {
  const reports: SizeReport[] = [];
  for (const size of args.pupils.split(',').map(Number)) reports.push(await runChild(size));
  printTables(reports, Number(args.weeks));
}
