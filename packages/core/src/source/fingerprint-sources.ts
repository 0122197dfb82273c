import { StrataError } from '../errors/strata-error.js';
import { httpFingerprinter } from './http-fingerprint.js';
import { localFingerprinter, MemoryDigestMemo } from './local-fingerprint.js';
import type { SourceObject, SourceReader } from './source-reader.js';
import {
  type FileDigestMemo,
  type FingerprintContext,
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
  /** Readers of object-store sources, contributed by the same plugins. */
  readonly readers?: readonly SourceReader[];
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
  private readonly readers = new Map<SourceScheme, SourceReader>();
  private readonly memo: FileDigestMemo;

  constructor(private readonly options: SourceFingerprintsOptions) {
    for (const f of [localFingerprinter, httpFingerprinter, ...(options.fingerprinters ?? [])]) {
      for (const scheme of f.schemes) this.byScheme.set(scheme, f);
    }
    for (const r of options.readers ?? []) for (const scheme of r.schemes) this.readers.set(scheme, r);
    this.memo = options.memo ?? new MemoryDigestMemo();
  }

  /** Whether a reader serves this scheme (so a step's SourceValue can offer `objects()`). */
  canRead(scheme: SourceScheme): boolean {
    return this.readers.has(scheme);
  }

  /** The objects of a fingerprinted source, pinned to the fingerprinted versions (SourceReader). */
  async objects(
    spec: SourceSpec,
    fingerprint: SourceFingerprint,
    signal?: AbortSignal,
  ): Promise<SourceObject[]> {
    const reader = this.readers.get(fingerprint.scheme);
    if (!reader) {
      throw new StrataError(`source ${spec.uri}: no reader for ${fingerprint.scheme}:// is loaded`, {
        code: 'source_scheme_unsupported',
        field: 'source',
        value: spec.uri,
        fix: 'load the plugin of that store (@strata/s3, @strata/gcs or @strata/azure) in .strata/config.json',
      });
    }
    return reader.objects(spec, fingerprint, this.contextFor(reader.storeFlavor, signal));
  }

  private contextFor(storeFlavor: string | undefined, signal?: AbortSignal): FingerprintContext {
    const store = this.options.store;
    const storeConfig =
      store && storeFlavor !== undefined && storeFlavor === store.flavor ? store.config : undefined;
    return {
      projectRoot: this.options.projectRoot,
      memo: this.memo,
      ...(storeConfig ? { storeConfig } : {}),
      ...(signal ? { signal } : {}),
    };
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
    return fingerprinter.fingerprint(spec, this.contextFor(fingerprinter.storeFlavor, signal));
  }
}
