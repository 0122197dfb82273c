import type { RunStatus, StepStatus } from '../api/types.js';

/** A status with its colour and a word, never colour alone (colour-blind users, screenshots in print). */
export function StatusBadge({ status }: { status: RunStatus | StepStatus }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {status}
    </span>
  );
}

export const liveStatuses: ReadonlySet<string> = new Set(['pending', 'running']);
