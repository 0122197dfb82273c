import { isSecretField } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { azureArtifactStoreConfig, azureArtifactStoreFlavor, plugin } from './index.js';

describe('azure flavor', () => {
  it('parses a config with defaults', () => {
    expect(
      azureArtifactStoreFlavor.config.parse({ container: 'artifacts', accountName: 'acct' }),
    ).toMatchObject({ container: 'artifacts', prefix: '', maxAttempts: 8 });
  });
  it('marks keys, SAS tokens and connection strings as secret', () => {
    for (const field of ['connectionString', 'accountKey', 'sasToken'] as const)
      expect(isSecretField(azureArtifactStoreConfig.shape[field])).toBe(true);
    expect(isSecretField(azureArtifactStoreConfig.shape.container)).toBe(false);
  });
  it('rejects an invalid container name', () => {
    expect(
      azureArtifactStoreFlavor.config.safeParse({ container: 'Bad--Name', accountName: 'a' }).success,
    ).toBe(false);
  });
  it('is exported as a plugin without loading the Azure SDK', () => {
    expect(plugin.flavors.map((f) => `${f.type}/${f.name}`)).toEqual(['artifact_store/azure']);
  });
});
