/**
 * Value counts of a categorical column in bounded memory: exact counts while there are at most
 * `capacity` distinct values; past that, a HyperLogLog (precision 14: 16 KiB, ~0.8 % standard
 * error) estimates the distinct count and the Misra-Gries summary keeps the frequent values, each
 * count at most `dropped / capacity`-ish below the truth (`maxUndercount` says how much).
 */
export class FrequencySketch {
  private counts = new Map<string, number>();
  private hll: HyperLogLog | null = null;
  /** Total amount subtracted from every kept count by Misra-Gries pruning. */
  private undercount = 0;

  constructor(private readonly capacity = 10_000) {}

  /** Whether the counts and distinct count are exact. */
  get isExact(): boolean {
    return this.hll === null;
  }

  /** Upper bound on how much any reported count is below the true count (0 when exact). */
  get maxUndercount(): number {
    return this.undercount;
  }

  add(value: string, times = 1): void {
    this.hll?.add(value);
    this.counts.set(value, (this.counts.get(value) ?? 0) + times);
    if (this.counts.size > 2 * this.capacity || (this.hll === null && this.counts.size > this.capacity)) {
      if (this.hll === null) {
        this.hll = new HyperLogLog();
        for (const key of this.counts.keys()) this.hll.add(key);
      }
      if (this.counts.size > 2 * this.capacity) this.prune();
    }
  }

  distinct(): number {
    return this.hll ? Math.max(this.hll.estimate(), this.counts.size) : this.counts.size;
  }

  /** Values by count descending, then value (as `compareValues` orders strings). */
  entries(): [string, number][] {
    return [...this.counts].sort(([va, ca], [vb, cb]) => cb - ca || (va < vb ? -1 : va > vb ? 1 : 0));
  }

  /** Misra-Gries: subtract the (capacity+1)-th largest count from every count, drop those at 0. */
  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const cut = sorted[this.capacity]!;
    this.undercount += cut;
    for (const [key, count] of this.counts) {
      if (count <= cut) this.counts.delete(key);
      else this.counts.set(key, count - cut);
    }
  }
}

/** HyperLogLog with 2^14 registers over a 32-bit murmur3-style string hash. */
export class HyperLogLog {
  private readonly registers = new Uint8Array(1 << 14);

  add(value: string): void {
    const h = hashString(value);
    const index = h >>> 18;
    const rest = (h << 14) | (1 << 13); // a guard bit bounds the rank at 19
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    // Small range: linear counting is more accurate while registers are still empty.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    // Large range: correct for 32-bit hash collisions.
    const two32 = 2 ** 32;
    if (raw > two32 / 30) return Math.round(-two32 * Math.log(1 - raw / two32));
    return Math.round(raw);
  }
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
