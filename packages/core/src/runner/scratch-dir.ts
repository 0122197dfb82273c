import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A step's private directory, created on first use: most steps never touch the disk, and creating and
 * deleting a directory per step was a large share of the local orchestrator's per-step overhead.
 */
export class ScratchDir {
  private created: string | undefined;

  get path(): string {
    this.created ??= mkdtempSync(join(tmpdir(), 'strata-step-'));
    return this.created;
  }

  /** Deletes the directory if it was made (nothing to wait for otherwise: the usual case). */
  remove(): Promise<void> | undefined {
    const dir = this.created;
    if (dir === undefined) return undefined;
    this.created = undefined;
    return rm(dir, { recursive: true, force: true });
  }
}
