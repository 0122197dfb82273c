import { type SourceFingerprinter, StrataError, splitObjectUri } from '@strata/core';
import { listingFingerprint } from '@strata/core/plugin';
import type { AzureArtifactStoreConfig } from './flavor.js';

/**
 * `az://container/blob` and `az://container/prefix/` sources, fingerprinted from blob properties (the
 * version id when versioning is on, else the ETag) without downloading. The account is the azure
 * artifact store's of the stack (its credentials reused), else AZURE_STORAGE_CONNECTION_STRING.
 */
export const azureSourceFingerprinter: SourceFingerprinter = {
  schemes: ['az'],
  storeFlavor: 'azure',
  async fingerprint(spec, context) {
    const { createBlobServiceClient } = await import('./client.js');
    const config = (context.storeConfig ?? {}) as Partial<AzureArtifactStoreConfig>;
    const service = createBlobServiceClient({
      ...config,
      maxAttempts: config.maxAttempts ?? 3,
    } as AzureArtifactStoreConfig);
    const { container: name, key } = splitObjectUri(spec.uri);
    const container = service.getContainerClient(name);
    const options = context.signal ? { abortSignal: context.signal } : {};
    try {
      if (key !== '' && !key.endsWith('/') && spec.glob === undefined) {
        try {
          const props = await container.getBlobClient(key).getProperties(options);
          return {
            uri: spec.uri,
            scheme: 'az',
            digest: props.versionId ? `version:${props.versionId}` : `etag:${props.etag ?? ''}`,
            size: props.contentLength ?? 0,
            count: 1,
            details: {
              ...(props.etag ? { etag: props.etag } : {}),
              ...(props.versionId ? { versionId: props.versionId } : {}),
              ...(props.lastModified ? { lastModified: props.lastModified.toISOString() } : {}),
            },
          };
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
      }
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const listed: { name: string; etag: string; size: number }[] = [];
      for await (const blob of container.listBlobsFlat({ prefix, ...options })) {
        listed.push({
          name: blob.name.slice(prefix.length),
          etag: blob.properties.etag ?? '',
          size: blob.properties.contentLength ?? 0,
        });
      }
      return listingFingerprint(spec, 'az', listed);
    } catch (error) {
      if (error instanceof StrataError) throw error;
      throw new StrataError(`source ${spec.uri} cannot be read: ${(error as Error).message.split('\n')[0]}`, {
        code: 'source_unreachable',
        field: 'source',
        value: spec.uri,
        fix: 'check the container, the blob name and the credentials (the azure artifact store of the stack, or AZURE_STORAGE_CONNECTION_STRING)',
        cause: error,
      });
    }
  },
};
