// Command-line options of `npm run bench`: a full run (the figures the README quotes, under
// 10 minutes on a 2-core machine) or `--quick` (a smoke run of every phase in about two minutes).

export const PHASES = ['parse', 'ingest', 'insert', 'latency', 'memory', 'queries'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  phases: Set<Phase>;
  /** Calls streamed at full speed for the ingestion figure. */
  ingestCalls: number;
  /** Calls streamed for the bare-parse baseline (same synthesis, same peer). */
  parseCalls: number;
  agents: number;
  supervisors: number;
  rates: number[];
  /** Seconds of offered load per rate (same order as rates). */
  rateSeconds: number[];
  memoryLiveCalls: number;
  memorySockets: number;
  memoryCalls: number;
  /** Calls that must have come and gone before the final RSS reading. */
  churnCalls: number;
  seedRows: number;
  queryRepeats: number;
  /** Only the query cases whose name contains one of these (all when empty). */
  cases: string[];
  /** A database to run the query phase on instead of the seed (a copy of it, say, to try a migration on). */
  seedDatabase: string | null;
  insertMs: number;
  profile: boolean;
  keepDatabase: boolean;
  logLevel: string;
}

const usage = `npm run bench -- [--quick] [--only=${PHASES.join(',')}] [--calls=N] [--seed-rows=N] [--rates=20,100,300]
  [--seconds=N] [--agents=200] [--profile] [--keep-db] [--log=warn]
  [--cases=busy,common word] [--seed-db=NAME (a copy of the seed: the service migrates what it runs on)]
  DATABASE_URL=postgres://… runs against that server (it creates and drops databases there).`;

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}\n${usage}`);
    flags.set(m[1], m[2] ?? 'true');
  }
  if (flags.has('help')) {
    process.stdout.write(usage + '\n');
    process.exit(0);
  }
  const quick = flags.has('quick');
  const num = (k: string, d: number) => (flags.has(k) ? Number(flags.get(k)) : d);
  const list = (k: string, d: number[]) => (flags.has(k) ? flags.get(k)!.split(',').map(Number) : d);
  const only = flags.get('only');
  const phases = new Set<Phase>(only ? (only.split(',') as Phase[]) : PHASES);
  for (const p of phases) if (!PHASES.includes(p)) throw new Error(`unknown phase ${p}\n${usage}`);
  const rates = list('rates', [20, 100, 300]);
  return {
    quick,
    phases,
    ingestCalls: num('calls', quick ? 3_000 : 25_000),
    parseCalls: num('parse-calls', quick ? 2_000 : 5_000),
    agents: num('agents', 200),
    supervisors: num('supervisors', 2),
    rates,
    rateSeconds: flags.has('seconds') ? rates.map(() => Number(flags.get('seconds'))) : rates.map((r) => (quick ? 5 : r >= 300 ? 30 : 20)),
    memoryLiveCalls: num('live', 1_000),
    memorySockets: num('sockets', 500),
    memoryCalls: num('memory-calls', quick ? 2_500 : 5_000),
    churnCalls: num('churn', quick ? 0 : 50_000),
    seedRows: num('seed-rows', quick ? 100_000 : 1_000_000),
    queryRepeats: num('repeats', quick ? 8 : 30),
    cases: flags.get('cases')?.split(',').filter(Boolean) ?? [],
    seedDatabase: flags.get('seed-db') ?? null,
    insertMs: num('insert-ms', quick ? 3_000 : 8_000),
    profile: flags.has('profile'),
    keepDatabase: flags.has('keep-db'),
    logLevel: flags.get('log') ?? 'warn',
  };
}
