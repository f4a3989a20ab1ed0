// A 10,000-event NDJSON batch routed by the real navigator does not hold the event loop:
// health checks are answered while it is being routed. A producer that goes away before
// its events are routed has nothing of them routed or stored, and its retry is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import type { EventRouter } from '../../server/ingest/router.js'
import { query } from '../../server/store/query.js'
import { benchReturnRequests } from '../bench/generators.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { startUpload, waitFor } from '../helpers/upload.js'

let server: TestServer
let skus: { sku: string; price: number }[]
/** Called for every event the navigator routes, with the time it was routed. */
let onRoute: (event: Event, at: number) => void = () => {}

beforeAll(async () => {
  server = await startTestServer({
    // Admission control is another test's subject: here a second request must always be
    // let in behind the big one, however slow a loaded machine makes the first.
    env: { INGEST_MAX_EXPECTED_WAIT_MS: '600000', INGEST_MAX_BYTES_IN_FLIGHT: String(256 * 1024 * 1024) },
    runtime: {
      navigator: true,
      // The real navigator, watched: which events it routes, and when.
      watchRouter: (real): EventRouter => ({
        route: (event, receivedAt) => { onRoute(event, performance.now()); return real.route(event, receivedAt) },
        undo: (event) => real.undo?.(event),
        confirm: (event) => real.confirm?.(event),
      }),
    },
  })
  skus = [...server.runtime.navigator!.network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price }))
})
afterAll(async () => { await server?.close() })

let seed = 1
const ndjson = (n: number) => {
  const events = benchReturnRequests(n, seed++, skus)
  return { ids: events.map((e) => e.eventId), body: events.map((e) => JSON.stringify(e)).join('\n') }
}
const ingest = (body: string) => post(`${server.url}/api/v1/events`, body, TEST_KEYS.ingest, 'application/x-ndjson')

describe('ingest under load', () => {
  it('answers /healthz and /readyz while a 10,000-event batch is being routed', async () => {
    const big = ndjson(10_000)
    const bigIds = new Set(big.ids)
    let lastRoutedAt = 0
    let routingStarted!: () => void
    const started = new Promise<void>((r) => { routingStarted = r })
    onRoute = (event, at) => {
      if (!bigIds.has(event.eventId)) return
      if (lastRoutedAt === 0) routingStarted()
      lastRoutedAt = at
    }
    const ingested = ingest(big.body)
    await started
    const health = await get(`${server.url}/healthz`)
    const healthAt = performance.now()
    const ready = await get(`${server.url}/readyz`)
    const readyAt = performance.now()
    const res = await ingested
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.accepted).toBe(10_000)
    expect(health.status).toBe(200)
    expect(ready.status).toBe(200)
    // Both were answered before the batch's last event was routed: routing gave the loop back.
    expect(healthAt).toBeLessThan(lastRoutedAt)
    expect(readyAt).toBeLessThan(lastRoutedAt)
  })

  it('stops a request whose producer went away while it waited to be routed: nothing routed or stored, the retry accepted', async () => {
    const big = ndjson(10_000)
    const bigIds = new Set(big.ids)
    const small = ndjson(20)
    const smallIds = new Set(small.ids)
    const routedSmall: string[] = []
    let routingStarted!: () => void
    const started = new Promise<void>((r) => { routingStarted = r })
    onRoute = (event) => {
      if (bigIds.has(event.eventId)) routingStarted()
      if (smallIds.has(event.eventId)) routedSmall.push(event.eventId)
    }
    const ingested = ingest(big.body)
    await started
    // The second request is read, validated, and queued behind the big one's routing.
    const leaving = startUpload(server.url, '/api/v1/events', {
      authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(small.body),
    })
    leaving.req.end(small.body)
    await waitFor(() => server.runtime.ctx.ingestor.waitingToRoute === 1, 'the second request to wait for routing')
    leaving.req.destroy()

    const res = await ingested
    expect(res.body.accepted).toBe(10_000)
    await waitFor(() => server.runtime.ctx.ingestor.waitingToRoute === 0, 'the lane to empty')
    expect(routedSmall).toEqual([])
    const stored = await query<{ n: number }>(server.runtime.ctx.store.client, {
      query: 'SELECT count() AS n FROM raw_events WHERE event_id IN {ids:Array(String)}', params: { ids: small.ids }, tag: 'test.abort',
    })
    expect(Number(stored[0].n)).toBe(0)
    // Its ids were released: the producer's retry is accepted, not refused as duplicates.
    const retry = await ingest(small.body)
    expect(retry.body.accepted).toBe(20)
    expect(routedSmall).toHaveLength(20)
  })
})
