import { describe, expect, it } from 'vitest';
import { usesTokenCredential } from './client.js';
import { azureArtifactStoreFlavor } from './flavor.js';

describe('azure credentials', () => {
  it('uses Microsoft Entra ID only when an account is named without key, SAS or connection string', () => {
    expect(usesTokenCredential({ accountName: 'acct' })).toBe(true);
    expect(usesTokenCredential({ accountName: 'acct', accountKey: 'k' })).toBe(false);
    expect(usesTokenCredential({ accountName: 'acct', sasToken: 'sv=1' })).toBe(false);
    expect(usesTokenCredential({ connectionString: 'UseDevelopmentStorage=true' })).toBe(false);
  });

  it('signs in with DefaultAzureCredential when only accountName is given, and says how to fix a failure', async () => {
    const config = azureArtifactStoreFlavor.config.parse({
      container: 'artifacts',
      accountName: 'devstoreaccount1',
      // Plain http: the SDK refuses to send a bearer token before any request leaves the process.
      endpoint: 'http://127.0.0.1:9/devstoreaccount1',
      maxAttempts: 1,
    });
    const store = await (await azureArtifactStoreFlavor.load())(config, undefined as never);
    const error = await store.exists('k').then(
      () => undefined,
      (e: Error & { code?: string; fix?: string }) => e,
    );
    expect(error?.code).toBe('bad_credentials');
    expect(error?.message).toMatch(/\(DefaultAzureCredential\) needs an https endpoint/);
    expect(error?.fix).toMatch(/accountKey, sasToken or connectionString/);
  });
});
