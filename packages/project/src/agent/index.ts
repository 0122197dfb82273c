export { Agent, type AgentOptions, EVALUATOR_LEASE } from './agent.js';
export { type AgentStatus, agentStatus } from './agent-status.js';
export { fireNow } from './fire-now.js';
export { childProcessLauncher, type RunLauncher } from './launcher.js';
