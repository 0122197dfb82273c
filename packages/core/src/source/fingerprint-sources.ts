import { StrataError } from '../errors/strata-error.js';
import { httpFingerprinter } from './http-fingerprint.js';
import { localFingerprinter, MemoryDigestMemo } from './local-fingerprint.js';
import {
  type FileDigestMemo,
  type SourceFingerprint,
  type SourceFingerprinter,
  type SourceScheme,
  type SourceSpec,
  schemeOf,
} from './source-spec.js';

export interface SourceFingerprintsOptions {
  readonly projectRoot: string;
  /** Contributed by plugins (s3, gs, az); core brings file and http(s). */
  readonly fingerprinters?: readonly SourceFingerprinter[];
  /** The fast-path facts of local files; a process-local memo when absent. */
  readonly memo?: FileDigestMemo;
  /**
   * The stack's artifact store (flavor name and resolved config): a fingerprinter whose `storeFlavor`
   * matches reuses its endpoint and credentials for sources in the same cloud.
   */
  readonly store?: { readonly flavor: string; readonly config: Readonly<Record<string, unknown>> };
}

/** Fingerprints sources by scheme; one per stack, shared by every step the StepRunner runs. */
export class SourceFingerprints {
  private readonly byScheme = new Map<SourceScheme, SourceFingerprinter>();
  private readonly memo: FileDigestMemo;

  constructor(private readonly options: SourceFingerprintsOptions) {
    for (const f of [localFingerprinter, httpFingerprinter, ...(options.fingerprinters ?? [])]) {
      for (const scheme of f.schemes) this.byScheme.set(scheme, f);
    }
    this.memo = options.memo ?? new MemoryDigestMemo();
  }

  get projectRoot(): string {
    return this.options.projectRoot;
  }

  async fingerprint(spec: SourceSpec, signal?: AbortSignal): Promise<SourceFingerprint> {
    const scheme = schemeOf(spec.uri);
    const fingerprinter = this.byScheme.get(scheme);
    if (!fingerprinter) {
      const plugin = { s3: '@strata/s3', gs: '@strata/gcs', az: '@strata/azure' }[
        scheme as 's3' | 'gs' | 'az'
      ];
      throw new StrataError(`source ${spec.uri}: no fingerprinter for ${scheme}:// is loaded`, {
        code: 'source_scheme_unsupported',
        field: 'source',
        value: spec.uri,
        fix: plugin
          ? `add "${plugin}" to "plugins" in .strata/config.json (pnpm add ${plugin})`
          : 'use a local path or an s3://, gs://, az:// or https:// URL',
      });
    }
    const store = this.options.store;
    const storeConfig =
      store && fingerprinter.storeFlavor !== undefined && fingerprinter.storeFlavor === store.flavor
        ? store.config
        : undefined;
    return fingerprinter.fingerprint(spec, {
      projectRoot: this.options.projectRoot,
      memo: this.memo,
      ...(storeConfig ? { storeConfig } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}
