import { describe, expect, it } from 'vitest';
import { plainCredentialPath } from './plain-credentials.js';

describe('plainCredentialPath', () => {
  it('names a credential given in plain text inside a nested map', () => {
    expect(plainCredentialPath({ url: 'x', headers: { Authorization: 'Bearer PLAIN' } })).toBe(
      'headers.Authorization',
    );
    expect(plainCredentialPath({ headers: { 'X-Api-Key': 'k' } })).toBe('headers.X-Api-Key');
    expect(plainCredentialPath({ registry: { url: 'r', password: 'p' } })).toBe('registry.password');
    expect(plainCredentialPath({ defaults: { env: { AWS_SECRET_ACCESS_KEY: 's' } } })).toBe(
      'defaults.env.AWS_SECRET_ACCESS_KEY',
    );
  });

  it('accepts references (with a scheme word), other keys, empty values and the top level', () => {
    expect(
      plainCredentialPath({
        headers: {
          Authorization: 'Bearer {{secret.hook.token}}',
          'x-token': '{{ secret.hook.token }}',
          'content-type': 'application/json',
          Cookie: '',
        },
        registry: { url: 'r', password: '{{secret.reg.password}}' },
        defaults: { env: { AWS_REGION: 'eu-west-1' } },
        // Top-level fields are the flavor's to mark secret (components.ts checks those by name).
        token: 'checked elsewhere',
      }),
    ).toBeUndefined();
    // A reference with a credential beside it is still a plain credential.
    expect(plainCredentialPath({ headers: { Authorization: 'abc{{secret.hook.token}}' } })).toBe(
      'headers.Authorization',
    );
  });
});
