// The live layer with real socket.io clients against a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allEventBuilders as b } from '../fixtures/events.js'
import { post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { collect, connect, subscribe } from '../helpers/socket.js'

let server: TestServer
beforeAll(async () => { server = await startTestServer() })
afterAll(async () => { await server?.close() })

const send = (events: unknown[]) => post(`${server.url}/api/v1/events`, events, TEST_KEYS.ingest)

describe('live layer', () => {
  it('refuses a connection without a valid key', async () => {
    await expect(connect(server.url)).rejects.toThrow(/unauthorized/)
    await expect(connect(server.url, 'wrong-key-12345678')).rejects.toThrow(/unauthorized/)
  })

  it('refuses rooms an ingest key may not see and unknown rooms', async () => {
    const socket = await connect(server.url, TEST_KEYS.ingest)
    const ack = await subscribe(socket, ['decisions', 'nope'])
    expect(ack.joined).toEqual([])
    expect(ack.refused.map((r) => r.room)).toEqual(['decisions', 'nope'])
    socket.close()
  })

  it('delivers status updates of a return after they are durable', async () => {
    const socket = await connect(server.url, TEST_KEYS.viewer)
    const ack = await subscribe(socket, ['rma:RMA-LIVE-1'])
    expect(ack.joined).toEqual([{ room: 'rma:RMA-LIVE-1', seq: 0 }])
    const got = collect(socket, 'rma', (all) => all.flatMap((p) => p.items).length >= 1)
    const ev = b.returnStatus({ rmaId: 'RMA-LIVE-1', status: 'picked_up' })
    expect((await send([ev])).body.accepted).toBe(1)
    const [payload] = await got
    expect(payload.seq).toBeGreaterThan(0)
    expect(payload.items[0]).toMatchObject({ kind: 'status', event: { eventId: ev.eventId, status: 'picked_up' } })
    socket.close()
  })

  it('coalesces a burst into a few messages per second', async () => {
    const socket = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(socket, ['rma:RMA-BURST'])
    const burst = Array.from({ length: 300 }, () => b.returnStatus({ rmaId: 'RMA-BURST', status: 'in_transit' }))
    const started = Date.now()
    // Every update is either delivered or counted as coalesced away (dropped).
    const accounted = (all: any[]) => all.reduce((n, p) => n + p.items.length + (p.dropped ?? 0), 0)
    const got = collect(socket, 'rma', (all) => accounted(all) >= 300)
    // 300 durable updates sent as 30 requests of 10, as fast as the server takes them.
    for (let i = 0; i < 300; i += 10) await send(burst.slice(i, i + 10))
    const messages = await got
    const seconds = Math.max(0.25, (Date.now() - started) / 1000)
    // At 200 ms ticks a client gets at most ~5 messages/s (+1 for a tick boundary). A
    // loaded machine only lengthens the burst, so the bound holds however slow it is.
    expect(messages.length).toBeLessThanOrEqual(Math.ceil(seconds * 5) + 1)
    const first = messages[0]
    const last = messages[messages.length - 1]
    const firstSeq = first.seq - first.items.length - (first.dropped ?? 0) + 1
    expect(last.seq - firstSeq + 1).toBe(300) // consecutive seqs, nothing unaccounted
    expect(accounted(messages)).toBe(300)
    expect(Math.max(...messages.map((m) => m.items.length))).toBeLessThanOrEqual(50)
    socket.close()
  })

  it('catches up on what a client missed while disconnected', async () => {
    const first = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(first, ['rma:RMA-CATCHUP'])
    const got = collect(first, 'rma', (all) => all.some((p) => p.seq >= 2))
    await send([b.returnStatus({ rmaId: 'RMA-CATCHUP', status: 'picked_up' }), b.returnStatus({ rmaId: 'RMA-CATCHUP', status: 'in_transit' })])
    const seen = await got
    const lastSeq = seen[seen.length - 1].seq
    first.close()

    // While away: three more updates.
    await send([1, 2, 3].map(() => b.returnStatus({ rmaId: 'RMA-CATCHUP', status: 'received' })))
    const second = await connect(server.url, TEST_KEYS.viewer)
    const caught = collect(second, 'rma', (all) => all.flatMap((p) => p.items).length >= 3)
    await subscribe(second, ['rma:RMA-CATCHUP'], { since: lastSeq })
    const [payload] = await caught
    expect(payload.seq).toBe(lastSeq + 3)
    expect(payload.complete).toBe(true)
    expect(payload.items.map((i: any) => i.event.status)).toEqual(['received', 'received', 'received'])
    second.close()
  })
})
