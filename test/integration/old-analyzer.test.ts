// CLICKHOUSE_URL may point at a server older than 24.3 (or one with enable_analyzer = 0),
// whose query analyzer is the old one. Every migration must create there, and every
// event type and a decision must insert through all the materialised views. Embedded
// chDB is new, so the old analyzer is switched on per statement here.
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Decision } from '../../server/contracts/decision.js'
import type { Event } from '../../server/contracts/events.js'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { splitStatements } from '../../server/store/migrate.js'
import { toChTime } from '../../server/store/query.js'
import { decisionRow, rawEventRow } from '../../server/store/rows.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { tempDataDir } from '../helpers/runtime.js'

const OLD = { enable_analyzer: 0 } as const
const dir = tempDataDir('revnav-old-analyzer-')
let store: StoreClient

beforeAll(async () => {
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
})
afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

const count = async (table: string) => {
  const rs = await store.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })
  return Number((await rs.json<{ n: number }>())[0].n)
}

describe('the old query analyzer', () => {
  it('creates every migration', async () => {
    const dirUrl = new URL('../../sql/migrations/', import.meta.url)
    for (const file of readdirSync(dirUrl).filter((f) => f.endsWith('.sql')).sort()) {
      for (const statement of splitStatements(readFileSync(new URL(file, dirUrl), 'utf8'))) {
        await expect(store.client.command({ query: statement, clickhouse_settings: OLD }), `${file}: ${statement.slice(0, 80)}`).resolves.toBeDefined()
      }
    }
  })

  it('inserts every event type and a decision through the views', async () => {
    const events = Object.values(b).map((build) => build()) as unknown as Event[]
    const received = toChTime(new Date())
    await store.client.insert({ table: 'raw_events', values: events.map((e) => rawEventRow(e, received)), format: 'JSONEachRow', clickhouse_settings: OLD })
    const request = events.find((e) => e.type === 'return.requested')!
    const decision: Decision = {
      decisionId: 'd-old-1', rmaId: (request as { rmaId: string }).rmaId, lineIndex: 0, sku: 'APP-TSHIRT-001', trigger: 'requested',
      decidedAt: new Date().toISOString(), resolution: 'refund', inboundMode: 'drop_off', receivingNodeId: 'WH-SH', exchangeSourceNodeId: null,
      disposition: 'restock_new', steps: [], totals: { netCost: 10, recovery: 100, waitHours: 24, co2Kg: 1, score: 40 },
      breakdown: { logistics: 8, handling: 5, refund: 129, recovery: -100 }, alternatives: [], rejections: {}, candidates: 1, weightsVersion: 1,
      priority: 0.1, tasks: [], trackingToken: 'tok-old-analyzer-0000001',
      baseline: { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'WH-SH', disposition: 'liquidate', totals: { netCost: 30, recovery: 60, waitHours: 90, co2Kg: 2, score: 80 } },
    }
    await store.client.insert({ table: 'decisions', values: [decisionRow({ decision, category: 'apparel', reason: 'size_too_small' })], format: 'JSONEachRow', clickhouse_settings: OLD })
    for (const table of ['order_lines', 'return_lines', 'returns_by_rma', 'return_status', 'inspections', 'inventory_events', 'catalog', 'decision_facts', 'tracking_tokens', 'daily_returns', 'daily_sales', 'sku_months', 'daily_sales_by_day', 'daily_returns_by_day']) {
      expect(await count(table), table).toBeGreaterThan(0)
    }
    const rs = await store.client.query({ query: "SELECT logistics, handling, refunds FROM decision_facts WHERE decision_id = 'd-old-1'", format: 'JSONEachRow' })
    expect(await rs.json()).toEqual([{ logistics: 8, handling: 5, refunds: 129 }])
  })
})
