import { type FSWatcher, watch } from 'node:fs';
import type { TriggerRecord } from '@strata/core/plugin';
import { localBase, sourceLocation } from '../triggers/source-location.js';

/**
 * Watches the local folders of new-data triggers (inotify through fs.watch, recursive) so a landing
 * file wakes the agent at once instead of at the next poll; polling stays as the safety net (events
 * can be lost, network file systems send none).
 */
export class SourceWatch {
  readonly #watchers = new Map<string, { path: string; watcher: FSWatcher }>();

  constructor(
    private readonly projectRoot: string,
    private readonly onChange: (trigger: string) => void,
  ) {}

  sync(triggers: readonly TriggerRecord[]): void {
    const wanted = new Map<string, string>();
    for (const t of triggers) {
      if (t.paused || t.condition.kind !== 'new_data') continue;
      const location = sourceLocation(t.condition.source);
      if (location.scheme === 'file') wanted.set(t.name, localBase(location, this.projectRoot));
    }
    for (const [name, w] of this.#watchers) {
      if (wanted.get(name) !== w.path) {
        w.watcher.close();
        this.#watchers.delete(name);
      }
    }
    for (const [name, path] of wanted) {
      if (this.#watchers.has(name)) continue;
      try {
        const watcher = watch(path, { recursive: true, persistent: false }, () => this.onChange(name));
        watcher.on('error', () => {
          watcher.close();
          this.#watchers.delete(name);
        });
        this.#watchers.set(name, { path, watcher });
      } catch {
        // Not watchable (gone, or too many watches): polling still finds new data.
      }
    }
  }

  close(): void {
    for (const w of this.#watchers.values()) w.watcher.close();
    this.#watchers.clear();
  }
}
