import { isSecretField } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { plugin, s3ArtifactStoreConfig, s3ArtifactStoreFlavor } from './index.js';

describe('s3 flavor', () => {
  it('parses a minimal config with defaults', () => {
    const c = s3ArtifactStoreFlavor.config.parse({ bucket: 'my-bucket' });
    expect(c).toMatchObject({ bucket: 'my-bucket', prefix: '', forcePathStyle: false, maxAttempts: 8 });
  });
  it('takes the upload path of docs/artifact-stores.md (--uploadMode staged) and refuses others', () => {
    expect(s3ArtifactStoreFlavor.config.parse({ bucket: 'my-bucket' }).uploadMode).toBe('spool');
    expect(s3ArtifactStoreFlavor.config.parse({ bucket: 'my-bucket', uploadMode: 'staged' }).uploadMode).toBe(
      'staged',
    );
    expect(s3ArtifactStoreFlavor.config.safeParse({ bucket: 'my-bucket', uploadMode: 'fast' }).success).toBe(
      false,
    );
  });
  it('marks credentials as secret fields', () => {
    expect(isSecretField(s3ArtifactStoreConfig.shape.secretAccessKey)).toBe(true);
    expect(isSecretField(s3ArtifactStoreConfig.shape.accessKeyId)).toBe(true);
    expect(isSecretField(s3ArtifactStoreConfig.shape.bucket)).toBe(false);
  });
  it('rejects a bucket name S3 would refuse', () => {
    const r = s3ArtifactStoreFlavor.config.safeParse({ bucket: 'Has_Underscore' });
    expect(r.success).toBe(false);
  });
  it('is exported as a plugin without loading the AWS SDK', () => {
    expect(plugin.flavors.map((f) => `${f.type}/${f.name}`)).toEqual(['artifact_store/s3']);
  });
});
