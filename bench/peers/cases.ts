/** The five cases of issue 9, as the command each framework runs for them. */
import { join } from 'node:path';
import type { Command } from './measure.js';
import { METAFLOW_BIN, PYTHON, ZENML_BIN } from './python-env.js';
import type { CaseId } from './results.js';
import type { Framework } from './stats.js';
import { HERE, PENGUINS_CSV, STRATA_BIN, type Workspace } from './workspaces.js';

export interface CaseSpec {
  readonly id: CaseId;
  readonly title: string;
  readonly steps: Record<Framework, number | null>;
  readonly argv: Record<Framework, readonly string[]>;
  readonly expect: Record<Framework, RegExp>;
  /** Target from the issue: peer -> "Strata at least N x lower". */
  readonly targets: Partial<Record<'zenml' | 'metaflow', number>>;
}

const strataRun = (file: string, ...flags: string[]) => [
  process.execPath,
  STRATA_BIN,
  'run',
  join(HERE, 'strata', file),
  ...flags,
];

export const CASES: readonly CaseSpec[] = [
  {
    id: 'chain',
    title: '(a) 10-step chain',
    steps: { strata: 10, zenml: 10, metaflow: 10 },
    argv: {
      strata: strataRun('chain.ts', '--no-cache'),
      zenml: [PYTHON, 'chain.py', '--no-cache'],
      metaflow: [PYTHON, 'chain_flow.py', 'run'],
    },
    expect: { strata: /completed\s+inc_9/, zenml: /Pipeline run has finished/, metaflow: /Done!/ },
    targets: { zenml: 100, metaflow: 20 },
  },
  {
    id: 'fanout',
    title: '(b) 100-wide fan-out/fan-in',
    // Strata: items, 100 square instances, total. ZenML: items, 100 squares, total.
    // Metaflow: start, 100 foreach tasks, join, end.
    steps: { strata: 102, zenml: 102, metaflow: 103 },
    argv: {
      strata: strataRun('fanout.ts', '--no-cache', '--pipeline', 'bench_fanout'),
      zenml: [PYTHON, 'fanout.py'],
      metaflow: [PYTHON, 'fanout_flow.py', 'run'],
    },
    expect: { strata: /sum=328350/, zenml: /Pipeline run has finished/, metaflow: /Done!/ },
    targets: { zenml: 100, metaflow: 20 },
  },
  {
    id: 'fanout_wide',
    title: "(b') the fan-out 1,000 wide, Strata only",
    // Only for Strata's marginal cost per step: 900 more steps than (b) put it well above the noise
    // of one process start (tens of ms of CPU), which 92 steps at well under 1 ms each do not.
    steps: { strata: 1002, zenml: null, metaflow: null },
    argv: {
      strata: strataRun('fanout.ts', '--no-cache', '--pipeline', 'bench_fanout_wide'),
      zenml: [],
      metaflow: [],
    },
    expect: { strata: /sum=332833500/, zenml: /$^/, metaflow: /$^/ },
    targets: {},
  },
  {
    id: 'cached',
    title: '(c) cached re-run of (a)',
    steps: { strata: 10, zenml: 10, metaflow: 10 },
    argv: {
      strata: strataRun('chain.ts'),
      zenml: [PYTHON, 'chain.py'],
      // Metaflow has no content cache: the nearest is `resume end`, which clones the 9 earlier tasks
      // of the latest run and executes only `end`.
      metaflow: [PYTHON, 'chain_flow.py', 'resume', 'end'],
    },
    expect: {
      strata: /cached\s+inc_9/,
      zenml: /All steps of the pipeline run were cached/,
      metaflow: /cloned!/,
    },
    targets: {},
  },
  {
    id: 'train',
    title: '(d) training on penguins',
    steps: { strata: 4, zenml: 4, metaflow: 5 },
    argv: {
      strata: strataRun('train.ts', '--no-cache'),
      zenml: [PYTHON, 'train.py', PENGUINS_CSV],
      metaflow: [PYTHON, 'train_flow.py', 'run', '--csv', PENGUINS_CSV],
    },
    expect: { strata: /accuracy=0\.\d+/, zenml: /accuracy=0\.\d+/, metaflow: /accuracy=0\.\d+/ },
    targets: { zenml: 1, metaflow: 1 },
  },
  {
    id: 'cli',
    title: '(e) CLI: list stacks/flows',
    steps: { strata: null, zenml: null, metaflow: null },
    argv: {
      strata: [process.execPath, STRATA_BIN, 'stack', 'list'],
      zenml: [ZENML_BIN, 'stack', 'list'],
      // Metaflow has no stacks; `metaflow status` prints the configured datastore and lists the flows.
      metaflow: [METAFLOW_BIN, 'status'],
    },
    expect: { strata: /default/, zenml: /default/, metaflow: /ChainFlow/ },
    targets: { zenml: 8 },
  },
];

export function commandFor(spec: CaseSpec, f: Framework, workspace: Workspace): Command {
  return { argv: spec.argv[f], cwd: workspace.dir, env: workspace.env, expect: spec.expect[f] };
}
