// A real shop's export, as the UK web shop of issue 16 books it: credit notes whose invoice
// number starts with C, stock write-offs to skip, postage and fee codes to exclude,
// wholesale lines of 80,995 units, SKUs with a space, rows without a customer, several
// files in a directory. Real embedded store; the CLI over HTTP and with --data-dir
// must give the same store.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { parseCsv } from '../../server/csv.js'
import { importRecords, ingestorSink, readSourceFiles } from '../../server/import/importer.js'
import { Mapping, RowMapper } from '../../server/import/mapping.js'
import { resolveSources } from '../../server/import/sources.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import { query } from '../../server/store/query.js'
import { BENCH_ADMIN_KEY, startServerProcess } from '../helpers/server-process.js'

const ADMIN = 'test-admin-key-123'
const run = promisify(execFile)

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Category'
// File 1: a bulk sale and its cancellation, postage, a SKU with a space, a guest sale.
const FILE_1 = [
  HEADER,
  '581483,23843,PAPER CRAFT LITTLE BIRDIE,80995,2011-12-09 09:15,2.08,16446,United Kingdom,Paper',
  'C581484,23843,PAPER CRAFT LITTLE BIRDIE,-80995,2011-12-09 09:27,2.08,16446,United Kingdom,Paper',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26,2.55,17850,United Kingdom,Home',
  '536365,GIFT 0001,GIFT VOUCHER,1,2010-12-01 08:26,10,17850,United Kingdom,Gifts',
  '536365,POST,POSTAGE,1,2010-12-01 08:26,18,17850,United Kingdom,',
  '536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-01 08:45,3.75,,France,Home',
].join('\r\n') + '\r\n'
// File 2: a credit note for the SKU with a space, a stock write-off, a fee code.
const FILE_2 = [
  HEADER,
  'C536379,GIFT 0001,GIFT VOUCHER,-1,2010-12-03 09:41,10,17850,United Kingdom,Gifts',
  '536380,22728,ALARM CLOCK BAKELIKE PINK,-12,2010-12-03 10:00,0,,United Kingdom,Home',
  '536381,AMAZONFEE,AMAZON FEE,1,2010-12-03 10:01,13541.33,,United Kingdom,',
  '536382,85123A,WHITE HANGING HEART T-LIGHT HOLDER,"1,200,000",2010-12-03 11:00,2.55,17850,United Kingdom,Home',
].join('\r\n') + '\r\n'

const MAPPING = {
  columns: {
    orderId: 'InvoiceNo', sku: 'StockCode', qty: 'Quantity', occurredAt: 'InvoiceDate', unitPrice: 'UnitPrice',
    customerId: 'CustomerID', name: 'Description', category: 'Category',
  },
  defaults: { lat: 51.5, lon: -0.12 },
  returnWhen: { flagPattern: { column: 'InvoiceNo', pattern: '^C' } },
  // A line at price 0 is a stock write-off or an adjustment, not a sale or a customer return.
  skip: [{ column: 'UnitPrice', pattern: '^0(\\.0*)?$' }],
  excludeSkus: '^(POST|DOT|M|AMAZONFEE|BANK CHARGES)$',
  idPrefix: 'uk',
}

let dir: string
let runtime: Runtime

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-import-uk-'))
  mkdirSync(join(dir, 'exports'))
  writeFileSync(join(dir, 'exports', '2010-12.csv'), FILE_1)
  writeFileSync(join(dir, 'exports', '2011-01.csv'), FILE_2)
  writeFileSync(join(dir, 'exports', 'notes.md'), 'not an export')
  writeFileSync(join(dir, 'mapping.json'), JSON.stringify(MAPPING))
  runtime = await createRuntime(loadConfig({
    DATA_DIR: join(dir, 'store'), PORT: '0', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: `admin:${ADMIN}`,
  }))
}, 120_000)

afterAll(async () => {
  await runtime?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('import of a real export', () => {
  it('reads a directory as one run: credit notes by prefix, write-offs skipped, fees excluded, bulk lines kept', async () => {
    const sources = resolveSources([join(dir, 'exports')])
    expect(sources.map((s) => s.path.split('/').pop())).toEqual(['2010-12.csv', '2011-01.csv'])
    const summary = await importRecords(readSourceFiles(sources), new RowMapper(Mapping.parse(MAPPING)), ingestorSink(runtime.ctx.ingestor, { decide: false }), {
      closeBefore: new Date('2012-01-01T00:00:00Z'), feedCatalog: true,
    })
    expect(summary).toMatchObject({ rows: 10, accepted: 6, rejected: 1, skipped: 1, excluded: 2, returnRows: 2, closedReturns: 2 })
    expect(summary.files.map((f) => f.rows)).toEqual([6, 4])
    // 1,200,000 units is over the contract's million: refused, and the value is shown.
    expect(summary.rejections).toEqual([{ file: sources[1].path, line: 5, errors: [expect.objectContaining({ path: 'lines.0.qty (column Quantity = "1,200,000")' })] }])

    const client = runtime.ctx.store.client
    const sold = await query<{ sku: string; units: number; customers: string }>(client, {
      query: "SELECT sku, toUInt64(sum(qty)) AS units, arrayStringConcat(arraySort(groupUniqArray(customer_id)), ',') AS customers FROM order_lines WHERE order_id NOT LIKE 'A-%' GROUP BY sku ORDER BY sku", tag: 'test',
    })
    expect(sold).toEqual([
      { sku: '22728', units: 24, customers: 'guest' },
      { sku: '23843', units: 80995, customers: '16446' },
      { sku: '85123A', units: 6, customers: '17850' },
      { sku: 'GIFT 0001', units: 1, customers: '17850' },
    ])
    const returned = await query<{ sku: string; qty: number; order_id: string }>(client, {
      query: "SELECT sku, qty, order_id FROM return_lines WHERE order_id LIKE 'C%' ORDER BY sku", tag: 'test',
    })
    expect(returned).toEqual([{ sku: '23843', qty: 80995, order_id: 'C581484' }, { sku: 'GIFT 0001', qty: 1, order_id: 'C536379' }])
    // Closed history: each return has a closed status at its own date, none decided.
    const closed = await query<{ status: string; at: string }>(client, {
      query: "SELECT status, toString(occurred_at) AS at FROM return_status WHERE note = 'imported history' ORDER BY occurred_at", tag: 'test',
    })
    expect(closed).toEqual([{ status: 'closed', at: '2010-12-03 09:41:00.000' }, { status: 'closed', at: '2011-12-09 09:27:00.000' }])
    const [{ n }] = await query<{ n: number }>(client, { query: "SELECT count() AS n FROM decisions WHERE sku IN ('23843', 'GIFT 0001')", tag: 'test' })
    expect(Number(n)).toBe(0)
    const catalog = await query<{ sku: string; name: string; category: string }>(client, {
      query: 'SELECT sku, name, category FROM catalog ORDER BY sku', tag: 'test',
    })
    expect(catalog).toEqual([
      { sku: '22728', name: 'ALARM CLOCK BAKELIKE PINK', category: 'home' },
      { sku: '23843', name: 'PAPER CRAFT LITTLE BIRDIE', category: 'paper' },
      { sku: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER', category: 'home' },
      { sku: 'GIFT 0001', name: 'GIFT VOUCHER', category: 'gifts' },
    ])
  })

  it('decides returns only with --decide, and warns about customers outside the service area', async () => {
    await runtime.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = runtime.app.server.address() as { port: number }
    const file = join(dir, 'late.csv')
    writeFileSync(file, `${HEADER}\nC600001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2011-06-01 10:00,2.55,17850,United Kingdom,Home\n`)
    const out = await run('npx', ['tsx', 'server/import/cli.ts', file, '--map', join(dir, 'mapping.json'), '--decide',
      '--url', `http://127.0.0.1:${port}`, '--key', ADMIN], { cwd: process.cwd() })
    expect(JSON.parse(out.stdout)).toMatchObject({ rows: 1, accepted: 1, returnRows: 1, outsideServiceArea: { returnRows: 1, customers: 1 } })
    // The demo network is in China: a London customer is outside it, and the merchant is told.
    expect(out.stderr).toMatch(/warning: 1 of 1 return rows \(1 customers\) are outside the network's service area/)
    expect(out.stderr).toMatch(/^1 rows · /m) // not a TTY: plain lines, no bar
    const [{ n }] = await query<{ n: number }>(runtime.ctx.store.client, { query: "SELECT count() AS n FROM decisions WHERE sku = '85123A'", tag: 'test' })
    expect(Number(n)).toBe(1)
  }, 60_000)

  it('reports the decided history as a backtest against the baseline, by category and month', async () => {
    const auth = { authorization: `Bearer ${ADMIN}` }
    const [d] = await query<{ net_cost: number; baseline_net_cost: number; wait_hours: number; baseline_wait_hours: number; resolution: string; baseline_resolution: string }>(runtime.ctx.store.client, {
      query: "SELECT net_cost, baseline_net_cost, wait_hours, baseline_wait_hours, resolution, baseline_resolution FROM decisions WHERE sku = '85123A'", tag: 'test',
    })
    const res = await runtime.app.inject({ method: 'GET', url: '/api/v1/backtest?from=2011-01-01&to=2011-12-31', headers: auth })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.totals).toMatchObject({
      lines: 1,
      navigator: { netCost: Math.round(d.net_cost * 100) / 100, avgWaitHours: Math.round(d.wait_hours * 100) / 100, wishesHonoured: d.resolution === 'refund' || d.resolution === 'keep_it' ? 1 : 0 },
      baseline: { netCost: Math.round(d.baseline_net_cost * 100) / 100, wishesHonoured: d.baseline_resolution === 'refund' || d.baseline_resolution === 'keep_it' ? 1 : 0 },
    })
    expect(body.byMonth.map((m: { month: string }) => m.month)).toEqual(['2011-06'])
    expect(body.byCategory.map((c: { category: string }) => c.category)).toEqual(['home'])
    // Outside the period: nothing.
    const empty = (await runtime.app.inject({ method: 'GET', url: '/api/v1/backtest?from=2012-01-01&to=2012-12-31', headers: auth })).json()
    expect(empty.totals.lines).toBe(0)
    const bad = await runtime.app.inject({ method: 'GET', url: '/api/v1/backtest?from=2011-13-01', headers: auth })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().issues[0].path).toBe('from')
    const reversed = await runtime.app.inject({ method: 'GET', url: '/api/v1/backtest?from=2011-12-01&to=2011-01-01', headers: auth })
    expect(reversed.statusCode).toBe(400)
    expect((await runtime.app.inject({ method: 'GET', url: '/api/v1/backtest' })).statusCode).toBe(401)
  })
})

describe('both paths give the same store', () => {
  it('imports a directory with --data-dir and over --url into the same rows', async () => {
    const viaDir = join(dir, 'via-dir')
    const viaUrl = join(dir, 'via-url')
    const args = [join(dir, 'exports', '*.csv'), '--map', join(dir, 'mapping.json')]
    const first = await run('npx', ['tsx', 'server/import/cli.ts', ...args, '--data-dir', viaDir], { cwd: process.cwd(), env: { ...process.env, LOG_LEVEL: 'silent' } })
    const fromDir = JSON.parse(first.stdout)
    const server = await startServerProcess(viaUrl)
    let fromUrl
    try {
      const second = await run('npx', ['tsx', 'server/import/cli.ts', ...args, '--url', server.url, '--key', BENCH_ADMIN_KEY], { cwd: process.cwd() })
      fromUrl = JSON.parse(second.stdout)
    } finally {
      await server.stop()
    }
    const pick = (s: Record<string, unknown>) => ({ rows: s.rows, accepted: s.accepted, rejected: s.rejected, skipped: s.skipped, excluded: s.excluded, events: s.events, closedReturns: s.closedReturns })
    expect(pick(fromDir)).toEqual(pick(fromUrl))
    expect(fromDir).toMatchObject({ rows: 10, accepted: 6, closedReturns: 2 })

    // Read both stores, one process each (the embedded store binds one dir per process).
    const dump = async (dataDir: string) => {
      const s = await startServerProcess(dataDir)
      try {
        const auth = { authorization: `Bearer ${BENCH_ADMIN_KEY}` }
        const res = await fetch(`${s.url}/api/v1/returns/${encodeURIComponent(creditNoteRma())}`, { headers: auth })
        expect(res.status).toBe(200)
        const body = await res.json() as { decisions: unknown[]; timeline: unknown[] }
        const run = await fetch(`${s.url}/api/v1/pipelines/return-rates/run`, { method: 'POST', headers: auth })
        expect(run.status).toBe(200)
        const skus = await fetch(`${s.url}/api/v1/skus?from=2010-12-01&to=2011-12-31&minVolume=0&sort=unitsSold`, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } })
        return { decisions: body.decisions.length, timeline: body.timeline, skus: await skus.json() }
      } finally {
        await s.stop()
      }
    }
    const a = await dump(viaDir)
    const b = await dump(viaUrl)
    expect(a.decisions).toBe(0)
    expect(a).toEqual(b)
  }, 240_000)
})

/** The RMA id the mapping derives for the credit note C536379 (no rmaId column). */
function creditNoteRma(): string {
  const [record] = parseCsv(FILE_2)
  const mapped = new RowMapper(Mapping.parse(MAPPING)).map(record)
  if (mapped.status !== 'event' || mapped.event.type !== 'return.requested') throw new Error('not a return')
  return mapped.event.rmaId
}
