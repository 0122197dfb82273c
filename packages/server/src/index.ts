export { API_PREFIX, createApi, createApp, openApiDocument } from './app.js';
export type { Authenticator } from './auth/authenticator.js';
export { isLoopback } from './auth/loopback.js';
export type { Principal, Scope } from './auth/principal.js';
export { defaultLimits, type ServerDeps, type ServerLimits, type ServerLog } from './deps.js';
export { createLog } from './log.js';
export { type RunningServer, type StartOptions, startServer } from './start.js';
export { createToken, listTokens, revokeToken, type TokenInfo } from './tokens.js';
