/**
 * `build()`'s result, made on the first call and kept. For zod schemas of documents a command may
 * never read: zod builds every schema object when its module is imported, and the stored-document
 * and trigger schemas cost a `strata run` about 15 ms of start-up that way (docs/benchmarks.md).
 */
export function builtOnce<T>(build: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = build();
      made = true;
    }
    return value as T;
  };
}
