// Daily shape of online ordering in China (local time, UTC+8): a deep night trough, a
// lunch bump and the evening peak around 21:00 that e-commerce traffic reports show.
// Relative weights per local hour; normalised so the daily mean is 1.
const RAW = [
  0.55, 0.35, 0.2, 0.12, 0.1, 0.12, 0.25, 0.5, // 00–07
  0.8, 1.0, 1.1, 1.15, 1.3, 1.2, 1.05, 1.0, // 08–15
  1.0, 1.05, 1.15, 1.45, 1.8, 2.0, 1.75, 1.1, // 16–23
]
const MEAN = RAW.reduce((s, x) => s + x, 0) / RAW.length
export const HOURLY_FACTOR: readonly number[] = RAW.map((x) => x / MEAN)
export const PEAK_FACTOR = Math.max(...HOURLY_FACTOR)

const CHINA_OFFSET_MS = 8 * 3_600_000

/** Order intensity at an instant relative to the daily mean, linear between hour centres. */
export function seasonalFactor(ms: number): number {
  const hours = (((ms + CHINA_OFFSET_MS) / 3_600_000) % 24 + 24) % 24
  const h = Math.floor(hours)
  const frac = hours - h
  return HOURLY_FACTOR[h] * (1 - frac) + HOURLY_FACTOR[(h + 1) % 24] * frac
}
