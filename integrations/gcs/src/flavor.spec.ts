import { isSecretField } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { gcsArtifactStoreConfig, gcsArtifactStoreFlavor, plugin } from './index.js';

describe('gcs flavor', () => {
  it('parses a minimal config with defaults', () => {
    expect(gcsArtifactStoreFlavor.config.parse({ bucket: 'my-bucket' })).toMatchObject({
      bucket: 'my-bucket',
      prefix: '',
      maxAttempts: 8,
    });
  });
  it('marks the private key as secret and requires it with clientEmail', () => {
    expect(isSecretField(gcsArtifactStoreConfig.shape.privateKey)).toBe(true);
    expect(gcsArtifactStoreFlavor.config.safeParse({ bucket: 'my-bucket', clientEmail: 'a@b' }).success).toBe(
      false,
    );
  });
  it('is exported as a plugin without loading the Google Cloud SDK', () => {
    expect(plugin.flavors.map((f) => `${f.type}/${f.name}`)).toEqual(['artifact_store/gcs']);
  });
});
