// Deterministic synthetic return requests and stock snapshots on the demo network, for
// benchmarks, tests and the demo. Reasons, conditions and wishes follow the category
// patterns of DECISION-MODEL.md (fit/size dominates apparel and footwear, defects and
// remorse dominate electronics, transit damage matters for home goods). Shares are
// labelled assumptions.
import type { Condition, ReturnReason, WantedResolution } from '../../contracts/enums.js'
import type { InventorySnapshot, ReturnLine, ReturnRequested } from '../../contracts/events.js'
import type { Network } from '../../navigator/network.js'
import { mulberry32 } from '../random.js'

type Weighted<T extends string> = Partial<Record<T, number>>

function pick<T extends string>(rand: () => number, table: Weighted<T>): T {
  const entries = Object.entries(table) as [T, number][]
  const total = entries.reduce((s, [, w]) => s + w, 0)
  let x = rand() * total
  for (const [k, w] of entries) {
    x -= w
    if (x <= 0) return k
  }
  return entries[entries.length - 1][0]
}

/** Share of returns by category (return rate × sales mix; assumption). */
const CATEGORY_SHARE = { apparel: 0.45, footwear: 0.15, electronics: 0.15, home: 0.13, beauty: 0.12 }

const REASONS: Record<string, Weighted<ReturnReason>> = {
  apparel: { size_too_small: 0.2, size_too_large: 0.2, changed_mind: 0.2, not_as_described: 0.15, defective: 0.05, damaged_in_transit: 0.03, wrong_item: 0.05, late_delivery: 0.03, better_price: 0.04, other: 0.05 },
  footwear: { size_too_small: 0.25, size_too_large: 0.2, changed_mind: 0.2, not_as_described: 0.1, defective: 0.08, damaged_in_transit: 0.04, wrong_item: 0.05, better_price: 0.03, other: 0.05 },
  electronics: { defective: 0.3, changed_mind: 0.25, not_as_described: 0.12, damaged_in_transit: 0.08, wrong_item: 0.05, better_price: 0.1, late_delivery: 0.03, other: 0.07 },
  home: { damaged_in_transit: 0.2, defective: 0.15, changed_mind: 0.25, not_as_described: 0.2, wrong_item: 0.05, better_price: 0.05, other: 0.1 },
  beauty: { changed_mind: 0.35, not_as_described: 0.15, damaged_in_transit: 0.15, wrong_item: 0.1, defective: 0.05, other: 0.2 },
}

const CONDITIONS: Partial<Record<ReturnReason, Weighted<Condition>>> = {
  defective: { defective: 0.8, used: 0.2 },
  damaged_in_transit: { damaged: 0.8, like_new: 0.2 },
  wrong_item: { unopened: 0.7, like_new: 0.3 },
  not_as_described: { unopened: 0.1, like_new: 0.6, used: 0.3 },
}
const DEFAULT_CONDITIONS: Weighted<Condition> = { unopened: 0.35, like_new: 0.5, used: 0.15 }

function wishFor(rand: () => number, category: string, reason: ReturnReason): WantedResolution {
  if (reason === 'size_too_small' || reason === 'size_too_large') return pick(rand, { exchange: 0.6, refund: 0.4 })
  if (reason === 'defective' || reason === 'damaged_in_transit') {
    return category === 'electronics' || category === 'home'
      ? pick(rand, { repair: 0.25, exchange: 0.3, refund: 0.45 })
      : pick(rand, { exchange: 0.3, refund: 0.7 })
  }
  if (reason === 'wrong_item') return pick(rand, { exchange: 0.6, refund: 0.4 })
  return pick(rand, { refund: 0.85, store_credit: 0.15 })
}

/** Where customers are: big cities weighted by online-retail volume (assumption). */
const CITIES: [string, number, number, number][] = [
  ['Shanghai', 31.23, 121.47, 12], ['Beijing', 39.9, 116.4, 11], ['Guangzhou', 23.13, 113.26, 9],
  ['Shenzhen', 22.54, 114.06, 9], ['Hangzhou', 30.27, 120.15, 7], ['Chengdu', 30.57, 104.07, 7],
  ['Wuhan', 30.59, 114.3, 6], ['Nanjing', 32.06, 118.8, 5], ["Xi'an", 34.34, 108.94, 5],
  ['Chongqing', 29.56, 106.55, 6], ['Tianjin', 39.13, 117.2, 4], ['Suzhou', 31.3, 120.58, 4],
  ['Changsha', 28.23, 112.94, 3], ['Zhengzhou', 34.75, 113.62, 3], ['Kunming', 25.04, 102.71, 2],
  ['Harbin', 45.8, 126.53, 2], ['Urumqi', 43.83, 87.62, 1],
]

export interface DemoStreamOptions {
  count: number
  seed?: number
  start?: Date
  /** Seconds between requests. */
  spacingSeconds?: number
  /** Share of lines whose SKU the catalog does not know. */
  unknownSkuShare?: number
}

export function demoReturnRequests(network: Network, opts: DemoStreamOptions): ReturnRequested[] {
  const rand = mulberry32(opts.seed ?? 7)
  // Delivery dates from their own generator, so the rest of the stream is as before.
  const deliveryRand = mulberry32((opts.seed ?? 7) + 7919)
  const start = (opts.start ?? new Date('2026-11-02T01:00:00Z')).getTime()
  const spacing = (opts.spacingSeconds ?? 60) * 1000
  const unknownShare = opts.unknownSkuShare ?? 0.01
  const byCategory = new Map<string, typeof network.file.catalog>()
  for (const item of network.file.catalog) {
    const list = byCategory.get(item.category) ?? []
    list.push(item)
    byCategory.set(item.category, list)
  }
  const cityTable = Object.fromEntries(CITIES.map((c, i) => [String(i), c[3]]))
  const out: ReturnRequested[] = []
  for (let i = 0; i < opts.count; i++) {
    const city = CITIES[Number(pick(rand, cityTable))]
    // 12 % of customers live outside the cities' drop-off coverage (county towns, villages).
    const spread = rand() < 0.12 ? 1.5 : 0.2
    const lat = city[1] + (rand() - 0.5) * 2 * spread
    const lon = city[2] + (rand() - 0.5) * 2 * spread
    const nLines = pick(rand, { '1': 0.8, '2': 0.15, '3': 0.05 })
    const lines: ReturnLine[] = []
    for (let l = 0; l < Number(nLines); l++) {
      const category = pick(rand, CATEGORY_SHARE)
      const items = byCategory.get(category)!
      const item = items[Math.floor(rand() * items.length)]
      const reason = pick(rand, REASONS[category])
      const condition = pick(rand, CONDITIONS[reason] ?? DEFAULT_CONDITIONS)
      const wants = wishFor(rand, category, reason)
      const unknown = rand() < unknownShare
      const sku = unknown ? `${item.sku.slice(0, 3)}9${String(Math.floor(rand() * 1000)).padStart(3, '0')}` : item.sku
      const qty = Number(pick(rand, { '1': 0.9, '2': 0.08, '3': 0.02 }))
      // Paid price: shelf price less a promotion discount of 0–20 %.
      const unitPrice = Math.round(item.price * (0.8 + 0.2 * rand()) * 100) / 100
      lines.push({
        lineId: `L${l + 1}`, sku, qty, unitPrice, reason, condition, wants,
        ...(wants === 'exchange' ? { exchangeSku: sku } : {}),
      })
    }
    const at = start + i * spacing
    out.push({
      eventId: `demo-req-${opts.seed ?? 7}-${i}`,
      type: 'return.requested',
      occurredAt: new Date(at).toISOString(),
      deliveredAt: new Date(at - daysSinceDelivery(deliveryRand) * 86_400_000).toISOString(),
      rmaId: `RMA-${opts.seed ?? 7}-${String(i).padStart(6, '0')}`,
      orderId: `ORD-${opts.seed ?? 7}-${String(i).padStart(6, '0')}`,
      customer: { id: `C-${Math.floor(rand() * 200_000)}`, lat: round4(lat), lon: round4(lon), region: city[0], trusted: rand() < 0.3 },
      channel: pick(rand, { app: 0.6, web: 0.25, cs: 0.1, store: 0.05 }),
      lines,
    })
  }
  return out
}

/**
 * Days from delivery to the return request (assumption): most within the 7-day window,
 * some in the second week, a few later (defects that show late).
 */
function daysSinceDelivery(rand: () => number): number {
  const x = rand()
  const days = x < 0.8 ? rand() * 7 : x < 0.95 ? 7 + rand() * 8 : 15 + rand() * 45
  return Math.round(days * 24) / 24
}

/**
 * Stock at every node that ships exchanges: 0–40 units per SKU, a fifth of SKUs out of
 * stock at a given node (so exchanges sometimes come from further away).
 */
export function demoInventorySnapshots(network: Network, at: Date, seed = 11): InventorySnapshot[] {
  const rand = mulberry32(seed)
  return network.exchangeNodes.map((idx) => {
    const node = network.nodes[idx]
    return {
      eventId: `demo-inv-${seed}-${node.id}`,
      type: 'inventory.snapshot' as const,
      occurredAt: at.toISOString(),
      nodeId: node.id,
      items: network.file.catalog.map((item) => ({
        sku: item.sku,
        onHand: rand() < 0.2 ? 0 : Math.floor(rand() * (node.central ? 60 : 25)),
      })),
    }
  })
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
