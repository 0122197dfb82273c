import type { Materializer } from '../materializers/materializer.js';
import type { SourceReader } from '../source/source-reader.js';
import type { SourceFingerprinter } from '../source/source-spec.js';
import { ContainerModule } from '../vendor/inversify.js';
import { STRATA_VERSION } from '../version.js';
import type { AnyFlavor } from './flavor.js';
import { FLAVOR, MATERIALIZER, SOURCE_FINGERPRINTER, SOURCE_READER } from './tokens.js';

/**
 * What an integration package exports as `plugin`: its flavors, and the inversify module that binds
 * them (FLAVOR: the lazy component factories), its materializers (MATERIALIZER) and source
 * fingerprinters (SOURCE_FINGERPRINTER) into each stack's container.
 */
export interface StrataPlugin {
  readonly name: string;
  readonly flavors: readonly AnyFlavor[];
  /** Materializers every stack of a project that lists the plugin can use (CLI, containers, workers). */
  readonly materializers?: readonly Materializer[];
  /** Fingerprinters for the source schemes the plugin's SDK reads (s3://, gs://, az://). */
  readonly sourceFingerprinters?: readonly SourceFingerprinter[];
  /** Readers of the same schemes' data, pinned to the fingerprinted versions (ingest reads through them). */
  readonly sourceReaders?: readonly SourceReader[];
  /**
   * The @strata/core versions the plugin supports, as a semver range (`^0.1.0`, `>=0.1.0 <0.3.0`).
   * Loading it into a core outside the range fails with `plugin_incompatible`.
   */
  readonly core?: string;
  readonly module: ContainerModule;
}

export interface PluginOptions {
  readonly materializers?: readonly Materializer[];
  readonly sourceFingerprinters?: readonly SourceFingerprinter[];
  readonly sourceReaders?: readonly SourceReader[];
  /** Default: `^` + the version of the @strata/core the plugin was built against. */
  readonly core?: string;
}

export function definePlugin(
  name: string,
  flavors: readonly AnyFlavor[],
  options: PluginOptions = {},
): StrataPlugin {
  const fingerprinters = options.sourceFingerprinters ?? [];
  const readers = options.sourceReaders ?? [];
  const module = new ContainerModule(({ bind }) => {
    for (const flavor of flavors) bind<AnyFlavor>(FLAVOR).toConstantValue(flavor);
    for (const m of options.materializers ?? []) bind<Materializer>(MATERIALIZER).toConstantValue(m);
    for (const f of fingerprinters) bind<SourceFingerprinter>(SOURCE_FINGERPRINTER).toConstantValue(f);
    for (const r of readers) bind<SourceReader>(SOURCE_READER).toConstantValue(r);
  });
  return {
    name,
    flavors,
    materializers: options.materializers ?? [],
    ...(fingerprinters.length > 0 ? { sourceFingerprinters: fingerprinters } : {}),
    ...(readers.length > 0 ? { sourceReaders: readers } : {}),
    core: options.core ?? `^${STRATA_VERSION}`,
    module,
  };
}

export function isPlugin(value: unknown): value is StrataPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as StrataPlugin).flavors) &&
    'module' in value
  );
}
