// Ingest over a real HTTP server into embedded ClickHouse, then query back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { query } from '../../server/store/query.js'
import { allEventBuilders as b } from '../fixtures/events.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
const events = (s: TestServer) => `${s.url}/api/v1/events`
const count = async (table: string, where = '1') => {
  const [{ n }] = await query<{ n: number }>(server.runtime.ctx.store.client, { query: `SELECT count() AS n FROM ${table} WHERE ${where}`, tag: 'test' })
  return Number(n)
}

beforeAll(async () => { server = await startTestServer() })
afterAll(async () => { await server?.close() })

describe('POST /api/v1/events', () => {
  it('stores one event and the typed rows its views derive', async () => {
    const order = b.orderPlaced({ lines: [{ sku: 'SKU-A', qty: 3, unitPrice: 10 }, { sku: 'SKU-B', qty: 1, unitPrice: 20 }] })
    const res = await post(events(server), order, TEST_KEYS.ingest)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0, results: [{ index: 0, eventId: order.eventId, status: 'accepted' }] })
    expect(await count('raw_events', `event_id = '${order.eventId}'`)).toBe(1)
    expect(await count('order_lines', `event_id = '${order.eventId}'`)).toBe(2)
  })

  it('stores exactly the valid events of a mixed batch, once', async () => {
    const good1 = b.returnRequested()
    const good2 = b.inventorySnapshot()
    const bad = b.orderPlaced({ lines: [{ sku: 'S', qty: 0, unitPrice: 1 }] })
    const batch = [good1, bad, good1, good2]
    const res = await post(events(server), batch, TEST_KEYS.ingest)
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(2)
    expect(res.body.duplicates).toBe(1)
    expect(res.body.rejected).toBe(1)
    expect(res.body.results[1]).toMatchObject({ status: 'rejected', errors: [{ path: 'lines.0.qty' }] })
    expect(res.body.results[2]).toMatchObject({ status: 'duplicate', eventId: good1.eventId })
    // Sent again: all duplicates, nothing more stored.
    const again = await post(events(server), [good1, good2], TEST_KEYS.ingest)
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 })
    expect(await count('raw_events', `event_id IN ('${good1.eventId}', '${good2.eventId}', '${bad.eventId}')`)).toBe(2)
    expect(await count('return_lines', `event_id = '${good1.eventId}'`)).toBe(1)
    expect(await count('inventory_events', `event_id = '${good2.eventId}'`)).toBe(1)
  })

  it('takes NDJSON and rejects a malformed line on its own', async () => {
    const a = b.returnStatus(), c = b.returnInspected()
    const body = `${JSON.stringify(a)}\n{not json\n\n${JSON.stringify(c)}\n`
    const res = await post(events(server), body, TEST_KEYS.ingest, 'application/x-ndjson')
    expect(res.status).toBe(200)
    expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'rejected', 'accepted'])
    expect(res.body.results[1].errors[0].message).toMatch(/line 2 is not valid JSON/)
    expect(await count('return_status', `event_id = '${a.eventId}'`)).toBe(1)
    expect(await count('inspections', `event_id = '${c.eventId}'`)).toBe(1)
  })

  it('derives the catalog and inventory adjustments', async () => {
    const cat = b.catalogUpsert()
    const adj = b.inventoryAdjusted()
    const res = await post(events(server), [cat, adj], TEST_KEYS.ingest)
    expect(res.body.accepted).toBe(2)
    const rows = await query<{ lifecycle: string; returnable: boolean }>(server.runtime.ctx.store.client, {
      query: 'SELECT lifecycle, returnable FROM catalog FINAL WHERE sku = {sku:String}', params: { sku: 'APP-TSHIRT-001' }, tag: 'test',
    })
    expect(rows).toEqual([{ lifecycle: 'current', returnable: true }])
    expect(await count('inventory_events', `event_id = '${adj.eventId}' AND qty = -3 AND kind = 'adjusted'`)).toBe(1)
  })

  it.each([
    ['a body that is not events', '"hello"', 'application/json', 400],
    ['malformed JSON', '{"a":', 'application/json', 400],
    ['an empty array', '[]', 'application/json', 400],
    ['an empty NDJSON body', '\n\n', 'application/x-ndjson', 400],
    ['another content type', 'x', 'text/plain', 415],
    ['form data', 'a=1', 'application/x-www-form-urlencoded', 415],
  ])('answers %s with %i', async (_name, body, type, status) => {
    const res = await post(events(server), body, TEST_KEYS.ingest, type)
    expect(res.status).toBe(status)
  })

  it('answers 413 over the size limit', async () => {
    const huge = JSON.stringify(b.returnRequested({ lines: [{ ...b.returnRequested().lines[0], reasonText: 'x'.repeat(900) }] }))
    const body = Array.from({ length: 40_000 }, () => huge).join('\n') // ~40 MB > 32 MiB
    const res = await post(events(server), body, TEST_KEYS.ingest, 'application/x-ndjson')
    expect(res.status).toBe(413)
  })

  it('answers 503 with Retry-After when the writer queue is full, and stores nothing of that request', async () => {
    const writer = server.runtime.ctx.writer as unknown as { opts: { maxQueuedRows: number } }
    const saved = writer.opts.maxQueuedRows
    writer.opts.maxQueuedRows = 1
    try {
      const batch = [b.orderPlaced(), b.orderPlaced()]
      const res = await post(events(server), batch, TEST_KEYS.ingest)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      writer.opts.maxQueuedRows = saved
      // The refused events were not claimed: the retry is accepted, not a duplicate.
      const retry = await post(events(server), batch, TEST_KEYS.ingest)
      expect(retry.body.accepted).toBe(2)
    } finally {
      writer.opts.maxQueuedRows = saved
    }
  })
})

describe('health and metrics', () => {
  it('healthz and readyz need no key', async () => {
    expect((await get(`${server.url}/healthz`)).body).toEqual({ status: 'ok' })
    const ready = await get(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(ready.body).toMatchObject({ status: 'ready', store: 'embedded', pendingMigrations: [] })
  })

  it('exposes Prometheus metrics with event counts', async () => {
    const res = await get(`${server.url}/metrics`, TEST_KEYS.viewer)
    expect(res.status).toBe(200)
    expect(res.body).toMatch(/revnav_events_total\{type="order.placed",status="accepted"\} \d+/)
    expect(res.body).toMatch(/revnav_writer_flush_seconds_bucket/)
    expect(res.body).toMatch(/revnav_writer_queue_rows/)
  })
})
