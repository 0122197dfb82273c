// `@strata/ml/plugin`: only the flavor declarations, so listing stacks never loads the ML libraries.
export { localDeployerFlavor, mlPlugin as plugin } from './flavor.js';
