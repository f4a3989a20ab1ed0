// What sells and what is in stock: a popularity distribution over the catalog, the size
// ladders that make "exchange for the next size" possible, and initial on-hand per node.
import type { CatalogItem } from '../contracts/events.js'
import type { Network } from '../navigator/network.js'
import { hashSeed, mulberry32, WeightedIndex } from './random.js'

/** Share of order lines per category (assumption: a general online store's mix). */
const CATEGORY_SHARE: Readonly<Record<string, number>> = {
  apparel: 0.32, footwear: 0.14, electronics: 0.2, home: 0.2, beauty: 0.14,
}
const OTHER_CATEGORY_SHARE = 0.05
/** Outdated styles still sell through outlets, discontinued items not at all. */
const LIFECYCLE_FACTOR = { current: 1, outdated: 0.35, discontinued: 0 } as const
/** Zipf exponent within a category: a few bestsellers, a long tail. */
const ZIPF_S = 0.9

const LETTER_SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', '2XL', 'XXXL', '3XL', '4XL']
const SIZED_CATEGORIES = new Set(['apparel', 'footwear'])

export interface CatalogModel {
  /** Items that can be sold, with their popularity index for draws. */
  readonly sellable: readonly CatalogItem[]
  readonly popularity: WeightedIndex
  /** Probability that one order line is this sellable item. */
  share(i: number): number
  /** The neighbouring size in the catalog, if the item has a size ladder. */
  nextSize(sku: string, direction: 'up' | 'down'): string | undefined
}

export function buildCatalogModel(network: Network, seed: number): CatalogModel {
  const items = [...network.catalog.values()].filter((c) => LIFECYCLE_FACTOR[c.lifecycle] > 0)
  const byCategory = new Map<string, CatalogItem[]>()
  for (const item of items) {
    const list = byCategory.get(item.category) ?? []
    list.push(item)
    byCategory.set(item.category, list)
  }
  const sellable: CatalogItem[] = []
  const weights: number[] = []
  for (const [category, list] of [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // Rank within the category by a seeded shuffle, so which item is the bestseller does
    // not depend on the catalog's file order but is stable for a seed.
    const ranked = [...list].sort((a, b) => hashSeed(seed, a.sku) - hashSeed(seed, b.sku))
    const zipf = ranked.map((_, r) => 1 / (r + 1) ** ZIPF_S)
    const norm = zipf.reduce((s, z) => s + z, 0)
    const share = CATEGORY_SHARE[category] ?? OTHER_CATEGORY_SHARE
    ranked.forEach((item, r) => {
      sellable.push(item)
      weights.push(share * (zipf[r] / norm) * LIFECYCLE_FACTOR[item.lifecycle])
    })
  }
  const popularity = new WeightedIndex(weights)
  const ladders = sizeLadders(items)
  return {
    sellable,
    popularity,
    share: (i) => weights[i] / popularity.total,
    nextSize: (sku, direction) => {
      const entry = ladders.get(sku)
      if (!entry) return undefined
      return entry.ladder[entry.position + (direction === 'up' ? 1 : -1)]
    },
  }
}

/**
 * Size ladders read from the SKU: one dash/underscore/slash-separated segment is a size
 * (letter size, or a whole number 20–50 for shoes and waists) and the other segments
 * name the family. Only apparel and footwear, so a numbered mug range is not a ladder.
 */
export function sizeLadders(items: readonly CatalogItem[]): Map<string, { ladder: string[]; position: number }> {
  const families = new Map<string, { sku: string; rank: number }[]>()
  for (const item of items) {
    if (!SIZED_CATEGORIES.has(item.category)) continue
    const segments = item.sku.split(/([-_/])/)
    for (let i = segments.length - 1; i >= 0; i -= 2) {
      const rank = sizeRank(segments[i])
      if (rank === undefined) continue
      const stem = [...segments.slice(0, i), '*', ...segments.slice(i + 1)].join('')
      const list = families.get(stem) ?? []
      list.push({ sku: item.sku, rank })
      families.set(stem, list)
      break
    }
  }
  const out = new Map<string, { ladder: string[]; position: number }>()
  for (const list of families.values()) {
    if (list.length < 2) continue
    const ladder = list.sort((a, b) => a.rank - b.rank).map((e) => e.sku)
    ladder.forEach((sku, position) => out.set(sku, { ladder, position }))
  }
  return out
}

function sizeRank(token: string): number | undefined {
  const upper = token.toUpperCase()
  const letter = LETTER_SIZES.indexOf(upper)
  if (letter >= 0) return letter
  if (/^[1-9]\d(\.5)?$/.test(token)) {
    const n = Number(token)
    if (n >= 20 && n <= 50) return 100 + n
  }
  return undefined
}

export interface StockOptions {
  ordersPerDay: number
  linesPerOrder: number
  seed: number
}

/**
 * Initial on-hand per exchange-shipping node: 3–6 weeks of cover of each item's demand,
 * split across the nodes (the central warehouse holds a double share), with a few
 * stock-outs so the navigator sometimes has to source a replacement elsewhere.
 */
export function initialStock(network: Network, model: CatalogModel, opts: StockOptions): Map<string, Map<string, number>> {
  const nodes = network.exchangeNodes.map((i) => network.nodes[i])
  const shares = nodes.map((n) => (n.central ? 2 : 1))
  const shareTotal = shares.reduce((s, x) => s + x, 0)
  const out = new Map<string, Map<string, number>>()
  nodes.forEach((node, ni) => {
    const stock = new Map<string, number>()
    model.sellable.forEach((item, i) => {
      const rng = mulberry32(hashSeed(opts.seed, 'stock', node.id, item.sku))
      if (rng() < 0.04) { stock.set(item.sku, 0); return }
      const dailyUnits = opts.ordersPerDay * opts.linesPerOrder * model.share(i)
      const coverDays = 21 + rng() * 21
      stock.set(item.sku, Math.max(2, Math.round(dailyUnits * coverDays * shares[ni] / shareTotal)))
    })
    out.set(node.id, stock)
  })
  return out
}
