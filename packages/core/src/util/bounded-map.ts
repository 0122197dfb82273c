/**
 * A Map that keeps at most `capacity` entries, dropping the oldest insertion first. The runner's
 * caches are all of this shape (recently produced outputs, map items, previous runs): each entry is
 * cheap to recompute, so a small bound keeps a long-lived worker's memory flat.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    if (this.size > this.capacity) this.delete(this.keys().next().value as K);
    return this;
  }

  /**
   * The promise cached under `key`, created on first use. A rejected promise is dropped, so the next
   * caller retries instead of seeing a stale failure.
   */
  promise<T>(this: BoundedMap<K, Promise<T>>, key: K, create: () => Promise<T>): Promise<T> {
    let entry = this.get(key);
    if (!entry) {
      entry = create();
      entry.catch(() => this.delete(key));
      this.set(key, entry);
    }
    return entry;
  }
}
