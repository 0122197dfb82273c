import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { StrataError } from '@strata/core';

/** Pass-through that fails at the end if the bytes' MD5 differs from the service's Content-MD5. */
export function verifyMd5(expected: Uint8Array, uri: string): Transform {
  const hash = createHash('md5');
  const want = Buffer.from(expected).toString('base64');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('base64');
      if (actual === want) return callback(null);
      callback(
        new StrataError(
          `artifact ${uri} is corrupt: the service's Content-MD5 is ${want}, the bytes read hash to ${actual}`,
          {
            code: 'integrity_error',
            field: 'md5',
            value: actual,
            fix: 'the download was damaged in transit or the blob was modified; retry, or re-run the producing step with --no-cache',
          },
        ),
      );
    },
  });
}
