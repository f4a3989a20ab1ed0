// `npm run import -- --decide` makes the same decisions in process (--data-dir: batches of
// its own size, two in flight) as through a running server (--url: one request at a time),
// so tuning the in-process path for speed can never change what the navigator decides.
// Credit notes inside the demo network (real routings, inspection slots booked in order),
// several batches in process; every decision of every return compared through the API.
// (Before the in-order lane, a batch that finished validating first was decided first,
// ahead of the catalog items of the batch before it.)
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../server/csv.js'
import { importRecords } from '../../server/import/importer.js'
import { Mapping, RowMapper } from '../../server/import/mapping.js'
import { BENCH_ADMIN_KEY, startServerProcess } from '../helpers/server-process.js'

const run = promisify(execFile)

const MAPPING = {
  columns: { orderId: 'InvoiceNo', sku: 'StockCode', name: 'Description', qty: 'Quantity', occurredAt: 'InvoiceDate', unitPrice: 'UnitPrice', customerId: 'CustomerID' },
  // Shanghai: inside the demo network, so the navigator routes instead of keeping.
  defaults: { lat: 31.23, lon: 121.47 },
  returnWhen: { flagPattern: { column: 'InvoiceNo', pattern: '^C' } },
  idPrefix: 'paths',
}

/** Credit notes of 1–3 lines over two months, a few customers returning often (shared slots). */
function creditNotes(rows: number): string {
  let seed = 11
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const out = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID']
  const start = Date.parse('2011-03-01T08:00:00Z')
  for (let written = 0, invoice = 700_000; written < rows; invoice++) {
    const at = new Date(start + (written / rows) * 60 * 86_400_000).toISOString().slice(0, 16).replace('T', ' ')
    const customer = rand() < 0.25 ? '' : String(12_000 + Math.floor(rand() * 40))
    for (let l = 0, lines = 1 + Math.floor(rand() * 3); l < lines && written < rows; l++, written++) {
      const sku = `${20_000 + Math.floor(rand() * 60)}`
      out.push(`C${invoice},${sku},ITEM ${sku},-${Math.ceil(rand() ** 3 * 24)},${at},${(0.5 + rand() * 80).toFixed(2)},${customer}`)
    }
  }
  return out.join('\n') + '\n'
}

let dir: string
let csv: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-import-paths-'))
  csv = creditNotes(240)
  writeFileSync(join(dir, 'credit-notes.csv'), csv)
  writeFileSync(join(dir, 'mapping.json'), JSON.stringify(MAPPING))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('import --decide', () => {
  it('decides the same in process (--data-dir) as through a server (--url)', async () => {
    const args = [join(dir, 'credit-notes.csv'), '--map', join(dir, 'mapping.json'), '--decide']
    const env = { ...process.env, LOG_LEVEL: 'silent' }
    // The RMAs the importer makes of the file (a credit note of several lines is one).
    const rmas: string[] = []
    await importRecords(parseCsv(csv), new RowMapper(Mapping.parse(MAPPING)), {
      send: async (events) => events.map((e) => {
        if (e.type === 'return.requested') rmas.push(e.rmaId)
        return { status: 'accepted' as const }
      }),
    })
    expect(rmas.length).toBeGreaterThan(100)
    const decisionsOf = async (url: string) => {
      const out: Record<string, unknown[]> = {}
      for (let i = 0; i < rmas.length; i += 16) {
        await Promise.all(rmas.slice(i, i + 16).map(async (rma) => {
          const res = await fetch(`${url}/api/v1/returns/${encodeURIComponent(rma)}`, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } })
          expect(res.status).toBe(200)
          // Tracking tokens are random by design (unguessable); everything else is decided.
          out[rma] = ((await res.json()) as { decisions: { trackingToken: string }[] }).decisions.map(({ trackingToken: _t, ...d }) => d)
        }))
      }
      return out
    }
    const totals = (out: string) => {
      const { seconds: _s, rowsPerSecond: _r, ...rest } = JSON.parse(out) as Record<string, unknown>
      return rest
    }

    // Batches far smaller than the file: several in flight, as in a large import.
    const inProcess = await run('npx', ['tsx', 'server/import/cli.ts', ...args, '--data-dir', join(dir, 'via-dir'), '--batch', '60'], { cwd: process.cwd(), env })
    let server = await startServerProcess(join(dir, 'via-url'))
    let overHttp, viaUrl
    try {
      overHttp = await run('npx', ['tsx', 'server/import/cli.ts', ...args, '--url', server.url, '--key', BENCH_ADMIN_KEY], { cwd: process.cwd(), env })
      viaUrl = await decisionsOf(server.url)
    } finally {
      await server.stop()
    }
    expect(totals(inProcess.stdout)).toEqual(totals(overHttp.stdout))
    expect(totals(inProcess.stdout)).toMatchObject({ rows: 240, accepted: 240, returnRows: 240 })
    server = await startServerProcess(join(dir, 'via-dir'))
    let viaDir
    try {
      viaDir = await decisionsOf(server.url)
    } finally {
      await server.stop()
    }
    const lines = Object.values(viaDir).flat() as { resolution: string; reservations?: unknown; flags?: string[] }[]
    expect(lines).toHaveLength(240)
    // Real routings, and bookings that depend on the order of routing; every SKU known
    // (its catalog item, fed by the import, is routed before the first return naming it).
    expect(new Set(lines.map((d) => d.resolution)).size).toBeGreaterThan(1)
    expect(lines.some((d) => d.reservations)).toBe(true)
    expect(lines.filter((d) => d.flags?.includes('unknown_sku'))).toEqual([])
    expect(viaDir).toEqual(viaUrl)
  }, 600_000)
})
