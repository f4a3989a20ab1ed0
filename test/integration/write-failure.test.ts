// A request whose decisions cannot be stored is refused (503, nothing acknowledged) and
// leaves the navigator as it was: the stock its exchange would have reserved is free for
// the next customer, and the producer's retry is decided afresh, not refused as a duplicate.
// The same holds for a stock adjustment: it is not applied twice, and the returns it
// re-routed keep their stored decisions.
// The failure is real: the decisions table is detached from the embedded store. The
// network is the two-warehouse one of the navigator's exchange behaviour test: W1 is
// nearer and has one unit, W2 has five.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, post, startTestServer, tempDataDir, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { baseFile, node, request } from '../unit/navigator/fixtures.js'

let server: TestServer

beforeAll(async () => {
  const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
  const networkFile = join(tempDataDir('revnav-net-'), 'network.json')
  writeFileSync(networkFile, JSON.stringify(baseFile({
    nodes: [node('W1', 1, [...caps], { central: true }), node('W2', 3, [...caps])],
    outbound: { base: 8, perKg: 0, perKm: 0.01, sortHours: 0, speedKmh: 50, co2PerKgKm: 0, co2PerStopKg: 0 },
  })))
  server = await startTestServer({ runtime: { navigator: true }, env: { NETWORK_FILE: networkFile } })
  const at = new Date(Date.now() - 120_000).toISOString()
  const stock = (nodeId: string, onHand: number) =>
    ({ eventId: `wf-inv-${nodeId}`, type: 'inventory.snapshot', occurredAt: at, nodeId, items: [{ sku: 'SKU-1', onHand }] })
  expect((await events([stock('W1', 1), stock('W2', 5)])).body.accepted).toBe(2)
})
afterAll(async () => { await server?.close() })

const events = (body: unknown) => post(`${server.url}/api/v1/events`, body, TEST_KEYS.ingest)
const command = (query: string) => server.runtime.ctx.store.client.command({ query })
const wantExchange = () => ({
  ...request([{ reason: 'size_too_small', wants: 'exchange', exchangeSku: 'SKU-1' }], {}, new Date(Date.now() - 60_000)),
})
const sourceOf = (body: { results: { decisions: { exchangeSourceNodeId: string | null }[] }[] }) => body.results[0].decisions[0].exchangeSourceNodeId

describe('a write that fails after the navigator decided', () => {
  it('holds nothing for the refused request and decides its retry afresh', async () => {
    const refused = { ...wantExchange(), eventId: 'wf-refused', rmaId: 'RMA-WF-REFUSED' }
    await command('DETACH TABLE decisions')
    try {
      const res = await events(refused)
      expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(503)
    } finally {
      await command('ATTACH TABLE decisions')
    }

    // W1's only unit is still free: the next customer's exchange ships from it.
    const other = await events(wantExchange())
    expect(other.status).toBe(200)
    expect(other.body.results[0].decisions[0]).toMatchObject({ resolution: 'exchange', exchangeSourceNodeId: 'W1' })

    // The producer retries the refused request: accepted (not a duplicate) and decided
    // against today's stock, which the other customer now holds: it ships from W2.
    const retry = await events(refused)
    expect(retry.body.accepted).toBe(1)
    expect(sourceOf(retry.body)).toBe('W2')
  })

  // By now W2 has 5 on hand and the retried request above holds one of them.
  it('does not apply a refused stock adjustment twice, and takes back the re-routes it caused', async () => {
    const adjust = (eventId: string, delta: number) =>
      ({ eventId, type: 'inventory.adjusted', occurredAt: new Date(Date.now() - 30_000).toISOString(), nodeId: 'W2', sku: 'SKU-1', delta })
    const refusedWith = async (table: string, body: unknown) => {
      await command(`DETACH TABLE ${table}`)
      try {
        const res = await events(body)
        expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(503)
      } finally {
        await command(`ATTACH TABLE ${table}`)
      }
    }

    // 5 → 1 on hand, refused, then retried: applied once, so the held unit is still there
    // and nothing is re-routed (applied twice, on hand would hit 0 below the reservation).
    await refusedWith('raw_events', adjust('wf-adj-1', -4))
    const once = await events(adjust('wf-adj-1', -4))
    expect(once.body).toMatchObject({ accepted: 1 })
    expect(once.body.results[0].decisions).toBeUndefined()

    // 1 → 0: the held unit is gone and its return is re-routed, but that re-route cannot
    // be stored. Refused: the return keeps its stored decision, so the retry re-routes it
    // again, and the stored re-route supersedes the stored decision.
    const stored = (await get(`${server.url}/api/v1/returns/RMA-WF-REFUSED`, TEST_KEYS.viewer)).body.decisions as { decisionId: string; supersedes?: string }[]
    await refusedWith('decisions', adjust('wf-adj-2', -1))
    const retried = await events(adjust('wf-adj-2', -1))
    expect(retried.body).toMatchObject({ accepted: 1 })
    expect(retried.body.results[0].decisions).toHaveLength(1)
    const after = (await get(`${server.url}/api/v1/returns/RMA-WF-REFUSED`, TEST_KEYS.viewer)).body.decisions as { decisionId: string; supersedes?: string }[]
    expect(after).toHaveLength(stored.length + 1)
    expect(after[0]).toMatchObject({ decisionId: retried.body.results[0].decisions[0].decisionId, supersedes: stored[0].decisionId })
  })

  it('fsyncs every part of the tables an acknowledgement vouches for', async () => {
    const rs = await server.runtime.ctx.store.client.query({
      query: "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN ('raw_events', 'decisions', 'tracking_tokens') ORDER BY name",
      format: 'JSONEachRow',
    })
    const tables = await rs.json<{ name: string; engine_full: string }>()
    expect(tables.map((t) => t.name)).toEqual(['decisions', 'raw_events', 'tracking_tokens'])
    for (const t of tables) expect(t.engine_full, t.name).toMatch(/fsync_after_insert = 1.*fsync_part_directory = 1|fsync_part_directory = 1.*fsync_after_insert = 1/)
  })
})

describe('a request and its inspection in flight together', () => {
  // Routed back to back, as two requests whose writes have not settled yet; which write
  // fails is decided here rather than by detaching a table, so the order is exact.
  const pair = (rmaId: string) => {
    const ask = { ...request([{ reason: 'defective', wants: 'refund' }], {}, new Date(Date.now() - 60_000)), eventId: `${rmaId}-ask`, rmaId }
    const inspect = { eventId: `${rmaId}-insp`, type: 'return.inspected' as const, occurredAt: new Date().toISOString(), rmaId, sku: 'SKU-1', grade: 'D' as const, nodeId: 'W1' }
    const router = server.runtime.navigator!.router
    const [first] = router.route(ask, new Date())
    const [second] = router.route(inspect, new Date())
    expect(second.decision.supersedes).toBe(first.decision.decisionId)
    return { router, ask, inspect, second }
  }
  const current = (rmaId: string) => server.runtime.navigator!.navigator.state.openReturn(rmaId)?.lines.get(0)?.decision.decisionId

  it('keeps the inspection\'s decision when only the request\'s write failed', () => {
    const { router, ask, inspect, second } = pair('RMA-WF-PAIR-1')
    router.undo!(ask)
    router.confirm!(inspect)
    expect(current('RMA-WF-PAIR-1')).toBe(second.decision.decisionId)
  })

  it('forgets the return when both writes failed, whichever failed first', () => {
    const one = pair('RMA-WF-PAIR-2')
    one.router.undo!(one.ask)
    one.router.undo!(one.inspect)
    expect(current('RMA-WF-PAIR-2')).toBeUndefined()
    const two = pair('RMA-WF-PAIR-3')
    two.router.undo!(two.inspect)
    two.router.undo!(two.ask)
    expect(current('RMA-WF-PAIR-3')).toBeUndefined()
  })
})
