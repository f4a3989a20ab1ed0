// Seeded randomness for the simulator. Everything the world draws comes from here, so a
// seed replays the same stream. mulberry32: tiny, fast, and good enough for sampling
// (not for cryptography).

export type Rng = () => number

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a over the parts: derives independent sub-seeds (per return line, per customer). */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5
  for (const part of parts) {
    const s = String(part)
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= 0x1f // separator, so ('ab','c') and ('a','bc') differ
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng()
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

/** Exponential inter-arrival time with the given rate (events per unit time). */
export function exponential(rng: Rng, rate: number): number {
  return -Math.log(1 - rng()) / rate
}

/** Log-normal around a median with spread sigma: skewed delays (most short, a long tail). */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  // Box–Muller; 1 - rng() avoids log(0).
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  return median * Math.exp(sigma * z)
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]
}

/** A weighted choice over a table of [value, weight] (weights need not sum to 1). */
export function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  let total = 0
  for (const [, w] of table) total += w
  let r = rng() * total
  for (const [value, w] of table) {
    r -= w
    if (r < 0) return value
  }
  return table[table.length - 1][0]
}

/** Cumulative weights for repeated O(log n) draws from a large fixed distribution (the catalog). */
export class WeightedIndex {
  private readonly cumulative: Float64Array
  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length)
    let sum = 0
    weights.forEach((w, i) => { sum += Math.max(0, w); this.cumulative[i] = sum })
  }
  get total(): number {
    return this.cumulative.length ? this.cumulative[this.cumulative.length - 1] : 0
  }
  draw(rng: Rng): number {
    const r = rng() * this.total
    let lo = 0, hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid] > r) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
