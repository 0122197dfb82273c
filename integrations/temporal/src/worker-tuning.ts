/**
 * Activity pollers of a worker with `concurrency` activity slots. A poller holds a slot while it waits,
 * and Temporal's eager dispatch (the server hands the activity a workflow task just scheduled straight
 * back to the worker that scheduled it, skipping the task-queue round trip) needs a free slot at that
 * moment. With as many pollers as slots, as the SDK defaults to below 10 slots, every slot is held
 * by a poll and no step is ever dispatched eagerly: each one then waits for a matching round trip.
 * Half the slots poll and the other half stay free for eager dispatch (one slot polls, none free).
 */
export function activityPollers(concurrency: number): number {
  return Math.max(1, Math.floor(concurrency / 2));
}
