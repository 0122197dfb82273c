import type { StrataDatabase } from '@strata/core/plugin';
import { notFound } from '../http/errors.js';
import type { Lineage } from '../schemas/artifacts.js';

type Direction = 'upstream' | 'downstream' | 'both';
type Node = Lineage['nodes'][number];
type Edge = Lineage['edges'][number];

/**
 * Breadth-first walk over artifacts and step runs from a root (an artifact, or every step of a run),
 * bounded by depth (hops step<->artifact) and by a node count, so one request cannot walk a whole
 * history. Upstream follows producers and their inputs; downstream follows consumers and their outputs.
 */
export async function walkLineage(
  db: StrataDatabase,
  root: { artifactId: string } | { runId: string },
  direction: Direction,
  maxDepth: number,
  maxNodes: number,
): Promise<Lineage> {
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Edge>();
  let truncated = false;
  const addNode = (n: Node): boolean => {
    if (nodes.has(n.id)) return false;
    if (nodes.size >= maxNodes) {
      truncated = true;
      return false;
    }
    nodes.set(n.id, n);
    return true;
  };
  const addEdge = (e: Edge) => edges.set(`${e.from}>${e.to}>${e.name}`, e);
  type Item = { kind: 'artifact' | 'step'; id: string; depth: number; dir: 'up' | 'down' };
  const queue: Item[] = [];
  const dirs: ('up' | 'down')[] =
    direction === 'both' ? ['up', 'down'] : [direction === 'upstream' ? 'up' : 'down'];
  let rootId: string;
  if ('artifactId' in root) {
    const a = await db.getArtifact(root.artifactId);
    if (!a) throw notFound('artifact', root.artifactId, 'list artifacts with GET /api/v1/artifacts');
    rootId = a.id;
    addNode({ id: a.id, type: 'artifact', label: a.id.slice(0, 12), kind: a.kind, depth: 0 });
    for (const dir of dirs) queue.push({ kind: 'artifact', id: a.id, depth: 0, dir });
  } else {
    rootId = root.runId;
    for (const s of await db.listStepRuns(root.runId)) {
      addNode({ id: s.id, type: 'step', label: s.stepName, runId: s.runId, status: s.status, depth: 0 });
      for (const dir of dirs) queue.push({ kind: 'step', id: s.id, depth: 0, dir });
    }
  }
  const seen = new Set<string>();
  while (queue.length > 0) {
    const item = queue.shift()!;
    const key = `${item.kind}:${item.id}:${item.dir}`;
    if (seen.has(key) || item.depth >= maxDepth) continue;
    seen.add(key);
    const next = item.depth + 1;
    if (item.kind === 'artifact') {
      const lin = await db.lineage(item.id);
      if (!lin) continue;
      const steps =
        item.dir === 'up'
          ? lin.producers.map((s) => ({ s, name: 'output' }))
          : lin.consumers.map((c) => ({ s: c.stepRun, name: c.name }));
      for (const { s, name } of steps) {
        addNode({ id: s.id, type: 'step', label: s.stepName, runId: s.runId, status: s.status, depth: next });
        if (!nodes.has(s.id)) continue;
        addEdge(item.dir === 'up' ? { from: s.id, to: item.id, name } : { from: item.id, to: s.id, name });
        queue.push({ kind: 'step', id: s.id, depth: next, dir: item.dir });
      }
    } else {
      for (const e of await db.stepRunEvents(item.id)) {
        if ((item.dir === 'up') !== (e.type === 'input')) continue;
        const a = e.artifact;
        addNode({ id: a.id, type: 'artifact', label: a.id.slice(0, 12), kind: a.kind, depth: next });
        if (!nodes.has(a.id)) continue;
        addEdge(
          e.type === 'input'
            ? { from: a.id, to: item.id, name: e.name }
            : { from: item.id, to: a.id, name: e.name },
        );
        queue.push({ kind: 'artifact', id: a.id, depth: next, dir: item.dir });
      }
    }
  }
  return {
    root: rootId,
    direction,
    depth: maxDepth,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    truncated,
  };
}
