// Issue 13, part 1: a poison event must never cost anyone else. The contract refuses
// malformed text (test/unit/contracts.test.ts); here what stands behind it is tested
// against the real embedded store, with the poison written straight to the writer so
// that the contract cannot stop it:
//  * the writer stores the neighbours of a row the store refuses, and fails only it;
//  * concurrent producers next to it all get their 200;
//  * a request whose raw_events write fails leaves no decision anyone can see (not on
//    the return page, the tracking page or the decision feed), and its retry works.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import { toChTime } from '../../server/store/query.js'
import { rawEventRow } from '../../server/store/rows.js'
import { get, post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { baseFile, node, request } from '../unit/navigator/fixtures.js'

let server: TestServer

beforeAll(async () => {
  const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
  const networkFile = join(tempDataDir('revnav-net-'), 'network.json')
  writeFileSync(networkFile, JSON.stringify(baseFile({ nodes: [node('W1', 1, [...caps], { central: true })] })))
  server = await startTestServer({ runtime: { navigator: true }, env: { NETWORK_FILE: networkFile } })
})
afterAll(async () => { await server?.close() })

const writer = () => server.runtime.ctx.writer
const store = () => server.runtime.ctx.store.client
const rows = async <T>(query: string, params: Record<string, unknown> = {}) =>
  (await (await store().query({ query, query_params: params, format: 'JSONEachRow' })).json<T>())
const status = (eventId: string, note = 'ok') =>
  ({ eventId, type: 'return.status', occurredAt: new Date(Date.now() - 60_000).toISOString(), rmaId: `RMA-${eventId}`, status: 'received', note }) as Event
const storedIds = async (ids: string[]) =>
  (await rows<{ event_id: string }>('SELECT event_id FROM raw_events WHERE event_id IN {ids:Array(String)}', { ids })).map((r) => r.event_id).sort()

describe('a row the store refuses, next to good ones', () => {
  it('fails only its own write; the neighbours in the same insert are stored once', async () => {
    const received = toChTime(new Date())
    const good = Array.from({ length: 12 }, (_, i) => `poison-w-good-${i}`)
    // Bypasses the contract: a lone surrogate the store cannot parse (CANNOT_PARSE_ESCAPE_SEQUENCE).
    const poison = rawEventRow(status('poison-w-\ud800'), received)
    const writes = good.map((id) => writer().write('raw_events', [rawEventRow(status(id), received)]))
    writes.splice(5, 0, writer().write('raw_events', [poison]))
    const outcome = await Promise.allSettled(writes)
    expect(outcome.map((o) => o.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', ...Array(7).fill('fulfilled')])
    expect(String((outcome[5] as PromiseRejectedResult).reason)).toMatch(/parse|escape/i)
    expect(await storedIds(good)).toEqual([...good].sort())
    const [{ n }] = await rows<{ n: string }>("SELECT count() AS n FROM raw_events WHERE startsWith(event_id, 'poison-w-')")
    expect(Number(n)).toBe(good.length) // none stored twice by the bisection
    expect(writer().depth).toBe(0)
  })

  it('costs concurrent producers nothing: every good request gets its 200 and is readable', async () => {
    const received = toChTime(new Date())
    const asks = Array.from({ length: 24 }, (_, i) => ({ ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: `poison-h-${i}`, rmaId: `RMA-POISON-H-${i}` }))
    // So that the poison and every request's raw_events rows are in one insert, as
    // under load, the table's inserts are held (a gate in front of the real store)
    // while a first write occupies the flush loop and the rest queue up behind it.
    const sink = server.runtime.ctx.store.rows
    const insert = sink.insertJsonLines.bind(sink)
    let open!: () => void
    const gate = new Promise<void>((resolve) => { open = resolve })
    sink.insertJsonLines = async (table, body, columns) => {
      if (table === 'raw_events') await gate
      return insert(table, body, columns)
    }
    try {
      const until = async (done: () => boolean) => { while (!done()) await new Promise((r) => setTimeout(r, 5)) }
      const first = writer().write('raw_events', [rawEventRow(status('poison-h-first'), received)])
      await until(() => writer().queuedIn('raw_events') === 0) // taken by a flush, held at the gate
      const answers = Promise.all(asks.map((ask) => post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)))
      await until(() => writer().queuedIn('raw_events') === asks.length) // every request's row queued
      const poison = writer().write('raw_events', [rawEventRow(status('poison-h-\ud800'), received)])
        .then(() => 'stored', (error: unknown) => String(error))
      open()
      await first
      expect(await poison).toMatch(/parse|escape/i)
      const answered = await answers
      expect(answered.map((a) => a.status)).toEqual(asks.map(() => 200))
      expect(answered.every((a) => a.body.accepted === 1)).toBe(true)
    } finally {
      open()
      sink.insertJsonLines = insert
    }
    for (const ask of asks.slice(0, 3)) {
      const page = await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)
      expect(page.status).toBe(200)
      expect(page.body.request).toMatchObject({ eventId: ask.eventId })
      expect(page.body.decisions).toHaveLength(1)
    }
    expect(await storedIds(asks.map((a) => a.eventId))).toHaveLength(asks.length)
    expect((await get(`${server.url}/healthz`)).status).toBe(200)
  })
})

describe('a request whose raw_events write fails after its decisions were stored', () => {
  it('shows no decision anywhere, and its retry is accepted and shown', async () => {
    const ask = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: 'orphan-ask-1', rmaId: 'RMA-ORPHAN-1' }
    await store().command({ query: 'DETACH TABLE raw_events' })
    try {
      const refused = await post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)
      expect(refused.status, JSON.stringify(refused.body)).toBe(503)
    } finally {
      await store().command({ query: 'ATTACH TABLE raw_events' })
    }
    // The decision row is stored (the write before raw_events succeeded)…
    const orphans = await rows<{ decision_id: string; tracking_token: string }>(
      'SELECT decision_id, tracking_token FROM decisions FINAL WHERE rma_id = {rma:String}', { rma: ask.rmaId })
    expect(orphans).toHaveLength(1)
    const [orphan] = orphans

    // …but no reader shows it.
    expect((await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)).status).toBe(404)
    expect((await get(`${server.url}/api/v1/track/${orphan.tracking_token}`)).status).toBe(404)
    const feed = await get(`${server.url}/api/v1/decisions?limit=200`, TEST_KEYS.viewer)
    expect(feed.status).toBe(200)
    expect(feed.body.items.map((d: { decisionId: string }) => d.decisionId)).not.toContain(orphan.decision_id)

    // The producer retries: accepted (not a duplicate), the same decision id, shown
    // with its request, and tracked by the token it was given now.
    const retry = await post(`${server.url}/api/v1/events`, ask, TEST_KEYS.ingest)
    expect(retry.status).toBe(200)
    expect(retry.body.accepted).toBe(1)
    const [ref] = retry.body.results[0].decisions
    expect(ref.decisionId).toBe(orphan.decision_id)
    const page = await get(`${server.url}/api/v1/returns/${ask.rmaId}`, TEST_KEYS.viewer)
    expect(page.status).toBe(200)
    expect(page.body.request).toMatchObject({ eventId: ask.eventId })
    expect(page.body.decisions.map((d: { decisionId: string }) => d.decisionId)).toEqual([orphan.decision_id])
    const track = await get(`${server.url}/api/v1/track/${ref.trackingToken}`)
    expect(track.status).toBe(200)
    expect(track.body).toMatchObject({ rmaId: ask.rmaId, lines: [expect.objectContaining({ lineIndex: 0 })] })
    const feedAfter = await get(`${server.url}/api/v1/decisions?limit=200`, TEST_KEYS.viewer)
    expect(feedAfter.body.items.map((d: { decisionId: string }) => d.decisionId)).toContain(orphan.decision_id)
    // The token of the refused attempt was never given out and leads nowhere.
    if (orphan.tracking_token !== ref.trackingToken) expect((await get(`${server.url}/api/v1/track/${orphan.tracking_token}`)).status).toBe(404)
  })
})
