import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { strataPackageDir } from './running-strata.js';

const checkout = fileURLToPath(new URL('../../..', import.meta.url));

describe('strataPackageDir', () => {
  it("finds the running Strata's packages: installed beside it, else in its checkout", () => {
    expect(strataPackageDir('@strata/core')).toBe(join(checkout, 'packages/core'));
    // No package of @strata/project or of the command depends on the S3 plugin: its checkout folder.
    expect(strataPackageDir('@strata/s3')).toBe(join(checkout, 'integrations/s3'));
    expect(strataPackageDir('@strata/no-such-package')).toBeUndefined();
  });
});
