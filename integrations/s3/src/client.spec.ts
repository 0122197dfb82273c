import { afterEach, expect, it, vi } from 'vitest';
import { createS3Client } from './client.js';

afterEach(() => vi.restoreAllMocks());

// The SDK's Node 22 notice cut into every run's output under Node 20 (see client.ts).
it('creates a client without the SDK printing its Node version notice into the run', () => {
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  const client = createS3Client({ region: 'us-east-1', forcePathStyle: true, maxAttempts: 1 });
  client.destroy();
  const notices = warn.mock.calls.filter(([w]) => String(w).includes('NodeVersionSupportWarning'));
  expect(notices).toEqual([]);
  expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
});
