// History import: a CSV export with good and bad rows, returns booked as negative sales
// and credit notes, through the real contracts into a real embedded ClickHouse, in
// process and through the CLI over HTTP; re-importing adds nothing.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { parseCsv } from '../../server/csv.js'
import { importRecords, ingestorSink } from '../../server/import/importer.js'
import { Mapping, RowMapper } from '../../server/import/mapping.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { query } from '../../server/store/query.js'

const ADMIN = 'test-admin-key-123'
let dir: string
let runtime: Runtime

const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10)

// Line numbers are the file's (header = line 1). Prices carry quoted thousands
// separators, line 6 a quoted customer id; lines 8 and 9 are the same sale twice (both real).
const CSV = [
  'Order No,Date,Article,Qty,Price,Customer,Doc Type,Return Reason',
  `A-1,${day(3)},SKU-1,1,"1,299.00",c1,invoice,`,
  `A-2,${day(3)} 10:15,SKU-1,2,20.5,c2,invoice,`,
  `A-3,${day(2)},SKU-2,1,9.99,c3,invoice,`,
  `A-1,${day(1)},SKU-1,-1,"1,299.00",c1,invoice,defekt`,
  `A-4,${day(2)},SKU-2,1,9.99,"c4",invoice,`,
  `A-3,${day(1)},SKU-2,1,9.99,c3,credit_note,size`,
  `A-5,${day(2)},SKU-3,1,5,c5,invoice,`,
  `A-5,${day(2)},SKU-3,1,5,c5,invoice,`,
  `A-6,${day(2)},,1,5,c6,invoice,`,
  `A-7,${day(2)},SKU-3,lots,5,c7,invoice,`,
  `A-8,yesterday,SKU-3,1,5,c8,invoice,`,
  `A-9,${day(2)},SKU-3,0,5,c9,invoice,`,
].join('\r\n') + '\r\n'

const MAPPING = Mapping.parse({
  columns: { orderId: 'Order No', occurredAt: 'Date', sku: 'Article', qty: 'Qty', unitPrice: 'Price', customerId: 'Customer', reason: 'Return Reason' },
  defaults: { lat: 48.14, lon: 11.58, reason: 'other' },
  returnWhen: { negativeQty: true, flagColumn: 'Doc Type', flagValues: ['credit_note'] },
  reasonMap: { defekt: 'defective', size: 'size_too_small' },
  idPrefix: 'erp',
})

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-import-'))
  runtime = await createRuntime(loadConfig({
    DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: `admin:${ADMIN},viewer:test-viewer-key-1`,
  }))
}, 120_000)

afterAll(async () => {
  await runtime?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('import of history', () => {
  it('imports the good rows, turns negative sales and credit notes into returns, and names the bad lines', async () => {
    const summary = await importRecords(parseCsv(CSV), new RowMapper(MAPPING), ingestorSink(runtime.ctx.ingestor), { batchSize: 4 })
    expect(summary).toMatchObject({ rows: 12, accepted: 8, duplicates: 0, rejected: 4 })
    expect(summary.rejections.map((r) => r.line)).toEqual([10, 11, 12, 13])
    expect(summary.rejections[0].errors[0].path).toBe('lines.0.sku (column Article, empty)')
    expect(summary.rejections[1].errors[0].path).toBe('lines.0.qty (column Qty = "lots")')
    expect(summary.rejections[2].errors[0].path).toBe('occurredAt (column Date = "yesterday")')
    expect(summary.rejections[3].errors[0].path).toBe('lines.0.qty (column Qty = "0")')

    const client = runtime.ctx.store.client
    const orders = await query<{ sku: string; units: number; revenue: number }>(client, {
      query: 'SELECT sku, sum(qty) AS units, round(sum(qty * unit_price), 2) AS revenue FROM order_lines GROUP BY sku ORDER BY sku', tag: 'test',
    })
    expect(orders).toEqual([{ sku: 'SKU-1', units: 3, revenue: 1340 }, { sku: 'SKU-2', units: 2, revenue: 19.98 }, { sku: 'SKU-3', units: 2, revenue: 10 }])
    const returns = await query<{ sku: string; qty: number; reason: string; order_id: string }>(client, {
      query: 'SELECT sku, qty, reason, order_id FROM return_lines ORDER BY sku', tag: 'test',
    })
    expect(returns).toEqual([
      { sku: 'SKU-1', qty: 1, reason: 'defective', order_id: 'A-1' },
      { sku: 'SKU-2', qty: 1, reason: 'size_too_small', order_id: 'A-3' },
    ])
    const [customer] = await query<{ customer_id: string }>(client, { query: "SELECT customer_id FROM order_lines WHERE order_id = 'A-4'", tag: 'test' })
    expect(customer.customer_id).toBe('c4')
  })

  it('adds nothing when the same file is imported again', async () => {
    const again = await importRecords(parseCsv(CSV), new RowMapper(MAPPING), ingestorSink(runtime.ctx.ingestor))
    expect(again).toMatchObject({ rows: 12, accepted: 0, duplicates: 8, rejected: 4 })
    const [{ n }] = await query<{ n: number }>(runtime.ctx.store.client, { query: 'SELECT count() AS n FROM raw_events', tag: 'test' })
    // Lines 8 and 9 (one invoice) are one event of two lines: 7 events for 8 rows.
    expect(n).toBe(7)
  })

  it('feeds the return rates', async () => {
    await runtime.scheduler.runNow('return-rates')
    const res = await runtime.app.inject({ method: 'GET', url: '/api/v1/skus?window=7d&minVolume=0&sort=unitsSold', headers: { authorization: `Bearer ${ADMIN}` } })
    const sku1 = res.json().items.find((i: { sku: string }) => i.sku === 'SKU-1')
    expect(sku1).toMatchObject({ unitsSold: 3, unitsReturned: 1, returnRate: 0.333333 })
  })

  it('runs as a CLI against a running server, with a progress line and a JSON summary', async () => {
    await runtime.app.listen({ port: 0, host: '127.0.0.1' })
    const address = runtime.app.server.address() as { port: number }
    const file = join(dir, 'more.csv')
    writeFileSync(file, 'order,when,sku,qty,price\nB-1,' + day(1) + ',SKU-9,2,10\nB-2,' + day(1) + ',SKU-9,-1,10\nB-3,' + day(1) + ',,1,10\n')
    const args = ['tsx', 'server/import/cli.ts', file, '--column', 'orderId=order', '--column', 'occurredAt=when', '--column', 'sku=sku',
      '--column', 'qty=qty', '--column', 'unitPrice=price', '--default', 'customerId=erp', '--default', 'lat=1', '--default', 'lon=2',
      '--negative-is-return', '--url', `http://127.0.0.1:${address.port}`, '--key', ADMIN]
    const run = () => promisify(execFile)('npx', args, { cwd: process.cwd() })
    const first = await run()
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 3, accepted: 2, duplicates: 0, rejected: 1 })
    expect(first.stderr).toMatch(/3 rows · [\d,]+ rows\/s · accepted 2 · duplicates 0 · rejected 1/)
    expect(first.stderr).toContain('line 4: lines.0.sku (column sku, empty)')
    const second = await run()
    expect(JSON.parse(second.stdout)).toMatchObject({ rows: 3, accepted: 0, duplicates: 2, rejected: 1 })
  }, 60_000)
})
