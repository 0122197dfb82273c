import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { IntegrityError } from '../errors/strata-error.js';

/**
 * A pass-through that hashes what flows through it and fails the stream at the end if the digest is
 * not the expected one. Consumers therefore never finish reading corrupt bytes without an error.
 */
export function verifySha256(expected: string, uri: string): Transform {
  const hash = createHash('sha256');
  // A 1 MiB buffer (not the 16 KiB default) lets the store read ahead while the consumer writes.
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === expected ? null : new IntegrityError(uri, expected, actual));
    },
  });
}
