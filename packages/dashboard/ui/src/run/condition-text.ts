/**
 * A condition in words. The predicate is a function the snapshot identifies by the hash of its source
 * (`node.output#hash`), so the DAG names the value it tests and that hash.
 */
export function describeCondition(c: { node: string; output: string; predicate: string }): string {
  const hash = c.predicate.includes('#') ? c.predicate.slice(c.predicate.lastIndexOf('#') + 1) : c.predicate;
  return `${c.node}.${c.output} passes predicate #${hash}`;
}
