// The CLI's e2e specs drive the built binary through @strata/testing's temp project; this file adds
// the CLI's own demo pipeline.
import { join } from 'node:path';
import { workspace } from '@strata/testing';

export {
  bin,
  type CliResult,
  createTempProject,
  ensureBuilt,
  storeState,
  type TempProject,
  workspace,
} from '@strata/testing';

/** The pipeline the CLI specs and docs/cli.md run (type-checked as a file of this package). */
export const demoPipelineFile = join(workspace, 'packages/cli/src/e2e/fixtures/demo.ts');
