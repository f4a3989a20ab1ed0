// The per-SKU month roll-ups (migration 0065): a period's whole months read from them and
// its edge days from the daily roll-ups give the same SKU list and the same anomalies as
// reading every day, over random ranges (inside one month, across partial months, whole
// years, all time). The store holds history from before the migration (its backfill)
// and after it (the views), some of it in the same months.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { anomaliesInRange, type AnomalyRules } from '../../server/store/analytics/anomalies.js'
import { listSkus, SKU_SORTS, type SkuSort } from '../../server/store/analytics/skus.js'
import type { DayRange } from '../../server/store/analytics/window.js'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { migrate, MIGRATIONS_DIR } from '../../server/store/migrate.js'
import { query } from '../../server/store/query.js'

const DAY_MS = 86_400_000
// Fourteen months of history ending on this day, so ranges start and end anywhere in it.
const LAST_DAY = Date.parse('2026-03-17T00:00:00Z')
const SPAN_DAYS = 425
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10)
// Loose rules, so the small history has anomalies of both kinds to compare.
const RULES: AnomalyRules = { minVolume: 5, minVolume7: 3, z: 1.0, spikeFactor: 1.2 }

let dir: string
let store: StoreClient

/** Order lines and return lines of 300 SKUs (popular ones sell more), `seed` picks them. */
async function history(client: StoreClient['client'], seed: number, orderLines: number, returnLines: number) {
  const params = { seed, last: LAST_DAY, span: SPAN_DAYS * DAY_MS }
  await client.command({
    query: `INSERT INTO order_lines (event_id, order_id, customer_id, region, line_index, sku, qty, unit_price, occurred_at)
      SELECT concat('o', toString({seed:UInt32}), '-', toString(number)), concat('o', toString(number)), 'c', 'eu', 0,
             concat('SKU-', toString(toUInt32(300 * pow((cityHash64(number, {seed:UInt32}, 1) % 1000) / 1000, 2)))),
             toUInt32(1 + cityHash64(number, {seed:UInt32}, 2) % 3), 10 + (cityHash64(number, {seed:UInt32}, 3) % 500) / 10,
             fromUnixTimestamp64Milli(toInt64({last:Int64} + 86399000 - cityHash64(number, {seed:UInt32}, 4) % {span:UInt64}), 'UTC')
      FROM numbers(${orderLines})`,
    query_params: params,
  })
  await client.command({
    query: `INSERT INTO return_lines (event_id, rma_id, order_id, customer_id, channel, line_index, sku, qty, unit_price, reason, condition, wants, occurred_at)
      SELECT concat('r', toString({seed:UInt32}), '-', toString(number)), concat('R', toString({seed:UInt32}), '-', toString(number)), 'o', 'c', 'web', 0,
             concat('SKU-', toString(toUInt32(300 * pow((cityHash64(number, {seed:UInt32}, 11) % 1000) / 1000, 2)))),
             toUInt32(1 + cityHash64(number, {seed:UInt32}, 12) % 2), 10 + (cityHash64(number, {seed:UInt32}, 13) % 500) / 10,
             ['size_too_small', 'defective', 'changed_mind', 'damaged_in_transit'][1 + cityHash64(number, {seed:UInt32}, 14) % 4], 'used', 'refund',
             fromUnixTimestamp64Milli(toInt64({last:Int64} + 86399000 - cityHash64(number, {seed:UInt32}, 15) % {span:UInt64}), 'UTC')
      FROM numbers(${returnLines})`,
    query_params: params,
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-0065-'))
  const before = join(dir, 'migrations-before')
  mkdirSync(before)
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0065')) cpSync(join(MIGRATIONS_DIR, f), join(before, f))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await migrate(store.client, before)
  await store.client.command({
    query: `INSERT INTO catalog (sku, name, category, product_type, price, weight_kg, repairable, vendor_id, lifecycle, returnable, updated_at)
      SELECT concat('SKU-', toString(number)), 'item', ['apparel', 'home', 'beauty'][1 + number % 3], 'generic', 20, 1, false, '', 'current', true, now64(3)
      FROM numbers(300)`,
  })
  await history(store.client, 1, 30_000, 4_000) // before the roll-ups: the migration's backfill
  await migrate(store.client)
  await history(store.client, 2, 20_000, 3_000) // after: the views
}, 300_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Ranges of every shape, from a seeded generator: the same ones on every run. */
function ranges(): DayRange[] {
  let seed = 65
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const first = LAST_DAY - (SPAN_DAYS - 1) * DAY_MS
  const at = (ms: number) => dayText(Math.min(LAST_DAY, Math.max(first, ms)))
  const monthStart = (ms: number) => Date.parse(`${dayText(ms).slice(0, 7)}-01T00:00:00Z`)
  const out: DayRange[] = [
    { from: '2000-01-01', to: dayText(LAST_DAY) }, // all time, as typed
    { from: dayText(first), to: dayText(LAST_DAY) }, // all time from the first data
    { from: '2025-03-01', to: '2025-03-31' }, // exactly one whole month
    { from: '2025-03-01', to: '2026-02-28' }, // whole months only
    { from: '2025-03-02', to: '2025-03-30' }, // inside one month
    { from: '2025-02-28', to: '2025-03-01' }, // two edge days
    { from: '2026-03-10', to: '2026-03-10' }, // one day
    { from: '2025-06-15', to: '2026-03-17' }, // a partial month at each end
    { from: '2024-12-31', to: '2025-01-31' }, // a partial first month, a whole last one
  ]
  for (let i = 0; i < 12; i++) {
    const a = first + Math.floor(rand() * SPAN_DAYS) * DAY_MS
    const b = first + Math.floor(rand() * SPAN_DAYS) * DAY_MS
    const [lo, hi] = a <= b ? [a, b] : [b, a]
    // Some start on a month's first day or end on a month's last day.
    const from = i % 3 === 0 ? monthStart(lo) : lo
    const to = i % 4 === 0 ? monthStart(hi) - DAY_MS : hi
    out.push({ from: at(from), to: at(Math.max(to, from)) })
  }
  return out
}

describe('per-SKU month roll-ups', () => {
  it('hold the sum of the daily roll-ups, history from before the migration included', async () => {
    const Totals = z.object({ daily: z.coerce.number(), monthly: z.coerce.number(), months: z.coerce.number() })
    for (const [daily, monthly] of [['daily_sales', 'monthly_sales'], ['daily_returns', 'monthly_returns']]) {
      const [t] = await query(store.client, {
        query: `SELECT (SELECT sum(units) FROM ${daily}) AS daily, (SELECT sum(units) FROM ${monthly}) AS monthly, (SELECT uniqExact(month) FROM ${monthly}) AS months`,
        tag: 'test', schema: Totals,
      })
      expect(t.daily).toBeGreaterThan(0)
      expect(t.monthly).toBe(t.daily)
      expect(t.months).toBe(15)
    }
  })

  it('give the SKU list of any range as reading every day does', async () => {
    let compared = 0
    for (const range of ranges()) {
      for (const sort of Object.keys(SKU_SORTS) as SkuSort[]) {
        const p = { win: 'all' as const, range, sort, order: sort === 'netCost' ? 'asc' as const : 'desc' as const, minVolume: 0, limit: 1000, offset: 0 }
        const detail = await listSkus(store.client, { ...p, rollup: false })
        const rollup = await listSkus(store.client, { ...p, rollup: true })
        expect(rollup, `${range.from}…${range.to} by ${sort}`).toEqual(detail)
        compared += detail.items.length
      }
    }
    expect(compared).toBeGreaterThan(5000)
  }, 300_000)

  it('give the anomalies of any range as reading every day does', async () => {
    const kinds = new Set<string>()
    for (const range of ranges()) {
      const detail = await anomaliesInRange(store.client, range, { limit: 1000, offset: 0, rollup: false }, RULES)
      const rollup = await anomaliesInRange(store.client, range, { limit: 1000, offset: 0, rollup: true }, RULES)
      expect(rollup, `${range.from}…${range.to}`).toEqual(detail)
      for (const a of detail.items) kinds.add(a.kind)
    }
    expect([...kinds].sort()).toEqual(['above_category', 'spike'])
  }, 300_000)
})
