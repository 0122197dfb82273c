import { defineFlavor, definePlugin } from '@strata/core/plugin';
import { z } from 'zod';

export const localDeployerConfig = z.object({
  host: z.string().default('127.0.0.1').describe('address the model server listens on'),
  pollMs: z.number().int().min(0).default(1000).describe('how often a served alias is checked; 0 = never'),
});

/** Declared here (not in @strata/local) because serving needs @strata/ml; loaded lazily. */
export const localDeployerFlavor = defineFlavor({
  type: 'deployer',
  name: 'local',
  description: 'Serves a registered model over HTTP from this machine, following an alias.',
  config: localDeployerConfig,
  async load() {
    const { LocalDeployer } = await import('./local-deployer.js');
    return (config) => new LocalDeployer(config);
  },
});

export const mlPlugin = definePlugin('@strata/ml', [localDeployerFlavor]);
