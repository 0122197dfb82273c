import { componentToken } from '../stack/component-token.js';
import type { Stack } from '../stack/stack.js';

/** What to serve and how. Flavors read the fields they understand from `options`. */
export interface DeploymentSpec {
  /** `MODEL@alias` (followed: the server swaps when the alias moves) or `MODEL@version` (pinned). */
  readonly model: string;
  /** Default: the model name. */
  readonly name?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface Deployment {
  readonly name: string;
  readonly model: string;
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The model version currently served. */
  servedVersion(): number;
  /** Stops accepting requests, finishes in-flight ones, then resolves. */
  stop(): Promise<void>;
}

/**
 * The deployer component: turns a registered model into a running prediction service. It reads the
 * stack's model registry and artifact store to load the model version an alias points at.
 */
export interface Deployer {
  readonly flavor: string;
  deploy(spec: DeploymentSpec, stack: Stack): Promise<Deployment>;
  close?(): Promise<void>;
}

/** The deployer component's token: `context.component(Deployer)` is typed. */
export const Deployer = componentToken<Deployer>('deployer');
