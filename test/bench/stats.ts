// Small statistics helpers for benchmarks (figures, never asserts).
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}
export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
