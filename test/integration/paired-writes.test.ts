// A request's decisions and its raw events are written one after the other: the raw
// events only once the decisions are durable (ingest.ts). Room for both is held before
// the first write, so the second is never refused because other requests filled the
// writer while the first was being stored — which would leave decisions standing
// without their request (an orphan, counted by every view kept from decisions).
// The store is real; its inserts are held at a gate so the filling happens exactly
// between the two writes.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import { toChTime } from '../../server/store/query.js'
import { rawEventRow } from '../../server/store/rows.js'
import { post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { baseFile, node, request } from '../unit/navigator/fixtures.js'

const BOUND = 40
let server: TestServer

beforeAll(async () => {
  const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
  const networkFile = join(tempDataDir('revnav-net-'), 'network.json')
  writeFileSync(networkFile, JSON.stringify(baseFile({ nodes: [node('W1', 1, [...caps], { central: true })] })))
  server = await startTestServer({ runtime: { navigator: true }, env: { NETWORK_FILE: networkFile, WRITER_MAX_QUEUED_ROWS: String(BOUND) } })
})
afterAll(async () => { await server?.close() })

const until = async (done: () => boolean) => { while (!done()) await new Promise((r) => setTimeout(r, 5)) }
const count = async (query: string, params: Record<string, unknown>) => {
  const rows = await (await server.runtime.ctx.store.client.query({ query, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>()
  return Number(rows[0].n)
}

describe('a request whose decisions are stored while others fill the writer', () => {
  it('still stores its raw events: answered 200, no orphan decision', async () => {
    const writer = server.runtime.ctx.writer
    const sink = server.runtime.ctx.store.rows
    const insert = sink.insertJsonLines.bind(sink)
    // One gate per table: the decisions are let through first, the raw events (the
    // request's and the fillers') only once the request's raw events were written.
    const gates = new Map<string, { opened: Promise<void>; open: () => void }>()
    for (const table of ['decisions', 'raw_events']) {
      let open!: () => void
      gates.set(table, { opened: new Promise<void>((resolve) => { open = resolve }), open })
    }
    const openAll = () => { for (const g of gates.values()) g.open() }
    let decisionsStored = false
    sink.insertJsonLines = async (table, body, columns) => {
      await gates.get(table)?.opened
      await insert(table, body, columns)
      if (table === 'decisions') decisionsStored = true
    }
    const ask = { ...request([{ wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: 'paired-ask-1', rmaId: 'RMA-PAIRED-1' }
    const fillers: Promise<void>[] = []
    try {
      let answered = false
      // Two events, one decision: more raw event rows than the decisions free once stored.
      const note = { eventId: 'paired-note-1', type: 'return.status', occurredAt: ask.occurredAt, rmaId: 'RMA-PAIRED-OTHER', status: 'in_transit' }
      const answer = post(`${server.url}/api/v1/events`, [ask, note], TEST_KEYS.ingest).finally(() => { answered = true })
      // The request's decisions are taken by a flush and held at their gate.
      await until(() => writer.depth > 0 && writer.queuedIn('decisions') === 0)
      // Other producers' rows fill every row of room that is left.
      const received = toChTime(new Date())
      let n = 0
      while (writer.canAccept(1)) {
        const status = { eventId: `paired-fill-${n++}`, type: 'return.status', occurredAt: new Date(Date.now() - 60_000).toISOString(), rmaId: 'RMA-PAIRED-FILL', status: 'received' } as Event
        fillers.push(writer.write('raw_events', [rawEventRow(status, received)]).catch(() => {}))
      }
      expect(n).toBeGreaterThan(0)
      gates.get('decisions')!.open()
      // Its decisions stored, the request's raw events are queued behind the fillers (or
      // it was refused for room).
      await until(() => answered || (decisionsStored && writer.depth === n + 2))
      gates.get('raw_events')!.open()
      const res = await answer
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200)
      expect(res.body.accepted).toBe(2)
      await Promise.all(fillers)
    } finally {
      openAll()
      sink.insertJsonLines = insert
    }
    expect(await count('SELECT count() AS n FROM raw_events WHERE event_id IN {ids:Array(String)}', { ids: [ask.eventId, 'paired-note-1'] })).toBe(2)
    expect(await count('SELECT count() AS n FROM decisions FINAL WHERE rma_id = {rma:String}', { rma: ask.rmaId })).toBe(1)
    expect(writer.depth).toBe(0)
    expect(writer.canAccept(BOUND)).toBe(true) // every reserved row was given back
  })
})
