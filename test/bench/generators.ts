// Deterministic event streams for benchmarks.
import type { ReturnRequested } from '../../server/contracts/events.js'
import { RETURN_REASONS, CONDITIONS, WANTED_RESOLUTIONS } from '../../server/contracts/enums.js'
import { mulberry32 } from '../../server/sim/random.js'

const CITIES = [[31.23, 121.47], [39.9, 116.4], [23.13, 113.26], [30.57, 104.07], [30.59, 114.3], [22.54, 114.06]]

export function benchReturnRequests(n: number, seed = 42, skus?: { sku: string; price: number }[]): ReturnRequested[] {
  const rnd = mulberry32(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]
  const run = `${Date.now().toString(36)}${Math.floor(rnd() * 1e6)}`
  const out: ReturnRequested[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const [lat, lon] = pick(CITIES)
    const item = skus ? pick(skus) : { sku: `BENCH-SKU-${Math.floor(rnd() * 500)}`, price: Math.round(20 + rnd() * 2000) }
    const wants = pick(WANTED_RESOLUTIONS)
    out[i] = {
      eventId: `bench-${run}-${i}`, type: 'return.requested', occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      rmaId: `RMA-${run}-${i}`, orderId: `O-${run}-${i}`,
      customer: { id: `C-${Math.floor(rnd() * 100_000)}`, lat: lat + (rnd() - 0.5) * 0.4, lon: lon + (rnd() - 0.5) * 0.4, trusted: rnd() < 0.7 },
      channel: pick(['app', 'web', 'cs', 'store'] as const),
      lines: [{
        sku: item.sku, qty: 1, unitPrice: item.price, reason: pick(RETURN_REASONS), condition: pick(CONDITIONS), wants,
        ...(wants === 'exchange' ? { exchangeSku: item.sku } : {}),
      }],
    }
  }
  return out
}
