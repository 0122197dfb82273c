/** Generates a penguins-like CSV of any size (seeded): 3 species, island, 4 measurements, ~1 % missing. */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** Per species: island weights, then mean and sd of beak length, beak depth, flipper length, body mass (from the real data). */
const SPECIES = [
  { name: 'Adelie', islands: [0.29, 0.37, 0.34], mean: [38.8, 18.3, 190, 3700], sd: [2.7, 1.2, 6.5, 460] },
  { name: 'Chinstrap', islands: [0, 1, 0], mean: [48.8, 18.4, 196, 3733], sd: [3.3, 1.1, 7.1, 384] },
  { name: 'Gentoo', islands: [1, 0, 0], mean: [47.5, 15.0, 217, 5076], sd: [3.1, 1.0, 6.5, 504] },
];
const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const SHARE = [0.44, 0.2, 0.36];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generatePenguins(path: string, rows: number, seed = 1): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const pick = (weights: readonly number[]) => {
    let r = random();
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  };
  const out = createWriteStream(`${path}.partial`);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  await write('Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g)\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const s = SPECIES[pick(SHARE)]!;
    const island = ISLANDS[pick(s.islands)]!;
    const values = s.mean.map((m, f) => {
      if (random() < 0.01) return '';
      const v = m + s.sd[f]! * gauss();
      return f < 2 ? v.toFixed(1) : String(Math.round(v));
    });
    buffer += `${s.name},${island},${values.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  renameSync(`${path}.partial`, path);
}
