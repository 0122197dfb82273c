import type { Booster, Objective } from './booster.js';
import type { Tree } from './tree.js';

/** A tree as plain JSON (parallel arrays; the training-only bin thresholds are dropped). */
export interface TreeJSON {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

export interface BoosterJSON {
  readonly objective: Objective;
  readonly outputs: number;
  readonly init: number[];
  readonly trees: TreeJSON[];
  readonly importance: number[];
}

export function boosterToJSON(booster: Booster): BoosterJSON {
  return {
    objective: booster.objective,
    outputs: booster.outputs,
    init: [...booster.init],
    importance: [...booster.importance],
    trees: booster.trees.map((tree) => ({
      feature: [...tree.feature],
      threshold: [...tree.threshold],
      left: [...tree.left],
      right: [...tree.right],
      value: [...tree.value],
    })),
  };
}

export function boosterFromJSON(json: BoosterJSON): Booster {
  if (!Array.isArray(json?.trees) || !Array.isArray(json.init)) {
    throw new Error('gradient-boosting state must have "init" and "trees" lists');
  }
  return {
    objective: json.objective,
    outputs: json.outputs,
    init: [...json.init],
    importance: [...(json.importance ?? [])],
    trees: json.trees.map(
      (tree): Tree => ({
        feature: Int32Array.from(tree.feature),
        threshold: Float64Array.from(tree.threshold),
        binThreshold: new Uint8Array(tree.feature.length),
        left: Int32Array.from(tree.left),
        right: Int32Array.from(tree.right),
        value: Float64Array.from(tree.value),
      }),
    ),
  };
}
