import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A file of the vega-datasets package (its JS API fetches from a CDN; the files ship in the package). */
export function vegaDataFile(name: string): string {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  return join(entry.slice(0, entry.lastIndexOf('/build/')), 'data', name);
}
