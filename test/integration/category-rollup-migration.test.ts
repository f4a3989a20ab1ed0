// Migration 0029 on a store that already holds returns: the per-category roll-up starts
// with the history there, filed under the catalog's current categories, and returns
// stored after it are filed as they arrive.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { migrate, MIGRATIONS_DIR } from '../../server/store/migrate.js'
import { query } from '../../server/store/query.js'

let dir: string
let store: StoreClient

const line = (id: string, sku: string, reason: string, qty: number, at: string) =>
  ({ event_id: id, rma_id: `rma-${id}`, line_index: 0, sku, qty, unit_price: 10, reason, occurred_at: at })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-0029-'))
  // The migrations before 0029, as a store made before it has them.
  const before = join(dir, 'migrations-before')
  mkdirSync(before)
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0029')) cpSync(join(MIGRATIONS_DIR, f), join(before, f))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await migrate(store.client, before)
  const client = store.client
  await client.insert({
    table: 'catalog', format: 'JSONEachRow',
    values: [
      { sku: 'A', category: 'apparel', updated_at: '2026-01-01 00:00:00.000' },
      // B was footwear, is home now: its history must land under home.
      { sku: 'B', category: 'footwear', updated_at: '2026-01-01 00:00:00.000' },
      { sku: 'B', category: 'home', updated_at: '2026-02-01 00:00:00.000' },
    ],
  })
  await client.insert({
    table: 'return_lines', format: 'JSONEachRow',
    values: [
      line('1', 'A', 'defective', 2, '2026-03-01 10:00:00.000'),
      line('2', 'A', 'defective', 1, '2026-03-01 11:00:00.000'),
      line('3', 'B', 'other', 3, '2026-03-02 10:00:00.000'),
      line('4', 'C', 'other', 1, '2026-03-02 12:00:00.000'), // not in the catalog
    ],
  })
  await migrate(store.client)
}, 120_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

const rollup = () => query<{ day: string; category: string; reason: string; units: number; lines: number }>(store.client, {
  query: `SELECT toString(day) AS day, toString(category) AS category, toString(reason) AS reason, sum(units) AS units, sum(lines) AS lines
          FROM category_reasons_daily GROUP BY day, category, reason HAVING units != 0 ORDER BY day, category, reason`,
  tag: 'test',
})

describe('migration 0029 on a store with history', () => {
  it('files the history there under the current categories', async () => {
    expect((await rollup()).map((r) => ({ ...r, units: Number(r.units), lines: Number(r.lines) }))).toEqual([
      { day: '2026-03-01', category: 'apparel', reason: 'defective', units: 3, lines: 2 },
      { day: '2026-03-02', category: '', reason: 'other', units: 1, lines: 1 },
      { day: '2026-03-02', category: 'home', reason: 'other', units: 3, lines: 1 },
    ])
  })

  it('files a return stored afterwards under its SKU’s category at once', async () => {
    await store.client.insert({ table: 'return_lines', format: 'JSONEachRow', values: [line('5', 'B', 'other', 4, '2026-03-02 13:00:00.000')] })
    expect((await rollup()).find((r) => r.category === 'home')).toMatchObject({ units: 7, lines: 2 })
  })
})
