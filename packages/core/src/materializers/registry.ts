import type { ArtifactType } from '../artifact-type/artifact-type.js';
import { StrataError } from '../errors/strata-error.js';
import { arrowMaterializer } from './arrow.js';
import { bytesMaterializer } from './bytes.js';
import { directoryMaterializer } from './directory.js';
import { fileMaterializer } from './file.js';
import { jsonMaterializer, stringMaterializer } from './json.js';
import type { Materializer } from './materializer.js';
import { typedArrayMaterializer } from './typed-array.js';

export const builtinMaterializers: readonly Materializer[] = [
  stringMaterializer,
  bytesMaterializer,
  typedArrayMaterializer,
  arrowMaterializer as Materializer,
  fileMaterializer as Materializer,
  directoryMaterializer as Materializer,
  jsonMaterializer,
];

/**
 * Chooses how an output is stored: an explicit materializer id wins, then the declared kind's default,
 * and for `any` outputs the first materializer that accepts the value.
 */
export class MaterializerRegistry {
  private readonly byId = new Map<string, Materializer>();
  /** idFor's answer by declared kind (asked for every output of every step); reset by register. */
  private readonly byKind = new Map<string, string | undefined>();

  constructor(materializers: readonly Materializer[] = builtinMaterializers) {
    for (const m of materializers) this.register(m);
  }

  register(materializer: Materializer): this {
    this.byId.set(materializer.id, materializer);
    this.byKind.clear();
    return this;
  }

  get(id: string): Materializer {
    const found = this.byId.get(id);
    if (!found) {
      throw new StrataError(`unknown materializer "${id}"`, {
        code: 'unknown_materializer',
        field: 'materializer',
        value: id,
        fix: `register it with registry.register(...) or use one of: ${[...this.byId.keys()].join(', ')}`,
      });
    }
    return found;
  }

  /** The materializer id recorded in the snapshot for a declared type (`any` resolves at run time). */
  idFor(type: ArtifactType): string | undefined {
    if (type.materializer) return this.get(type.materializer).id;
    if (type.kind === 'any') return undefined;
    if (this.byKind.has(type.kind)) return this.byKind.get(type.kind);
    let id: string | undefined;
    for (const m of this.byId.values()) {
      if (m.kinds.includes(type.kind)) {
        id = m.id;
        break;
      }
    }
    this.byKind.set(type.kind, id);
    return id;
  }

  forValue(type: ArtifactType, value: unknown): Materializer {
    const id = this.idFor(type);
    if (id) return this.get(id);
    for (const m of this.byId.values()) if (m.accepts(value)) return m;
    throw new StrataError(`no materializer accepts a value of type ${typeof value}`, {
      code: 'no_materializer',
      field: 'output',
      value: typeof value,
      fix: 'declare the output with a concrete type (t.json(), t.table(), ...) or register a materializer',
    });
  }
}
