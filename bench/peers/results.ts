/** The shape of bench/peers/results/latest.json (diff two of them to spot a regression). */
import type { FixedCostResult } from './fixed-cost.js';
import type { Framework, Sample, Summary } from './stats.js';

export type CaseId = 'chain' | 'fanout' | 'fanout_wide' | 'cached' | 'train' | 'cli';

export interface CaseResult {
  readonly id: CaseId;
  readonly title: string;
  /** What each framework actually runs for this case (command and notes). */
  readonly commands: Partial<Record<Framework, string>>;
  /** Steps (tasks) per run, per framework; null for the CLI case. */
  readonly steps: Partial<Record<Framework, number | null>>;
  readonly samples: Partial<Record<Framework, Sample[]>>;
  readonly summary: Partial<Record<Framework, Summary>>;
  /** peer / Strata, per step where there are steps (wall and CPU). */
  readonly advantage: Partial<Record<Exclude<Framework, 'strata'>, { wall: number; cpu: number }>>;
  /** Targets from issue 9, peer -> times; met uses the wall ratio. */
  readonly targets: Partial<Record<Exclude<Framework, 'strata'>, { times: number; met: boolean }>>;
}

export interface PeerResults {
  readonly date: string;
  readonly command: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memGiB: number;
    readonly node: string;
    readonly python: string;
    readonly os: string;
    /** 1-minute load average: min, median, max over all measured processes. */
    readonly load: { readonly min: number; readonly median: number; readonly max: number };
  };
  readonly versions: Readonly<Record<string, string>>;
  readonly cases: readonly CaseResult[];
  /**
   * Per framework, wall and CPU: ((b) fan-out - (a) chain) medians / extra steps; Strata's from
   * ((b') - (b)) when (b') ran (its steps cost too little for 92 of them to rise above the noise).
   */
  readonly marginalMsPerStep: Partial<Record<Framework, { wall: number; cpu: number }>>;
  /** Issue 9's per-step overhead targets, judged on the marginal CPU cost (peer / Strata). */
  readonly perStepTargets?: Partial<
    Record<Exclude<Framework, 'strata'>, { times: number; ratio: number | null; met: boolean }>
  >;
  /** Issue 22: the fixed cost of a run and the CPU slope per step, with the peers in the same rounds. */
  readonly fixedCost?: FixedCostResult;
  /** One uncached Strata (a) run under `node --cpu-prof`: self time by where the code lives. */
  readonly profile?: {
    readonly totalMs: number;
    readonly buckets: readonly { bucket: string; ms: number; files: number }[];
    /** Time with each package anywhere on the stack (module loading is charged to the importers). */
    readonly inclusive?: readonly { pkg: string; ms: number }[];
  };
}
