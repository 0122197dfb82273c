export { createTrigger, nativeId, type TriggerDefinition } from './create-trigger.js';
export { firingParam, firingParams, placeholderParams, withFiringParamDeclared } from './fire-params.js';
export { globMatcher, localSourceVersion, type SourceVersion } from './local-source.js';
export {
  deleteTrigger,
  describeTrigger,
  getTrigger,
  groupOf,
  listTriggers,
  nextFiring,
  pauseTrigger,
  type TriggerDescription,
  type TriggerGroup,
  triggerHistory,
} from './manage-triggers.js';
export { initialScheduleCursor, type ScheduleCursor } from './schedule-cursor.js';
export { type SourceLocation, sourceLocation } from './source-location.js';
export { needsSettling, sourceVersion } from './source-version.js';
export { validateCondition } from './validate-condition.js';
