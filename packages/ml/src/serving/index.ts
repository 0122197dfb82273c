export { localDeployerConfig, localDeployerFlavor, mlPlugin } from './flavor.js';
export { LocalDeployer, serveModel } from './local-deployer.js';
export type { ModelServerOptions, ServerEvent, SmokeCheckOptions } from './model-server.js';
export { ModelServer, startModelServer } from './model-server.js';
export type { LiveMetric, QualityVerdict, QualityWatchOptions } from './quality-watch.js';
export { defaultQualityWatch, QualityWatch } from './quality-watch.js';
export type { FeedbackItem } from './request-body.js';
export { BadRequest, parseFeedbackBody, parsePredictBody } from './request-body.js';
