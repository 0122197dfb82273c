/**
 * The isolated Python environment of the peers: a venv (STRATA_BENCH_VENV, default
 * /opt/strata-bench/venv) with ZenML (local mode), Metaflow, scikit-learn and pandas, created and
 * filled only when something is missing (idempotent; pip goes through the configured package index).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const VENV = process.env.STRATA_BENCH_VENV ?? '/opt/strata-bench/venv';
export const PYTHON = join(VENV, 'bin', 'python');
export const ZENML_BIN = join(VENV, 'bin', 'zenml');
export const METAFLOW_BIN = join(VENV, 'bin', 'metaflow');
const REQUIREMENTS = ['zenml[local]', 'metaflow', 'scikit-learn', 'pandas'];
const PROBE = 'import zenml, metaflow, sklearn, pandas';

export function ensurePythonEnv(log: (line: string) => void): void {
  if (!existsSync(PYTHON)) {
    log(`creating venv ${VENV}`);
    mkdirSync(dirname(VENV), { recursive: true });
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  if (spawnSync(PYTHON, ['-c', PROBE], { stdio: 'ignore' }).status === 0) return;
  log(`installing ${REQUIREMENTS.join(' ')} into ${VENV} (a few minutes)`);
  execFileSync(PYTHON, ['-m', 'pip', 'install', '--quiet', ...REQUIREMENTS], { stdio: 'inherit' });
}

export function pythonVersions(): Record<string, string> {
  const script = [
    'import sys, importlib.metadata as m',
    'print("python", sys.version.split()[0])',
    'for p in ("zenml", "metaflow", "scikit-learn", "pandas"): print(p, m.version(p))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
}
