// Ingest over HTTP → decisions in the store → what-if preview → PUT weights → the next
// decisions carry the new version; the return page, the tracking page, rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { query } from '../../server/store/query.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { collect, connect, subscribe } from '../helpers/socket.js'

let server: TestServer
let catalog: { sku: string; category: string; price: number }[]
let seq = 0
/** A catalog item that was decided as a repair while the benches were there. */
let repairedItem: { sku: string; price: number } | undefined

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
  catalog = [...server.runtime.navigator!.network.catalog.values()].map((c) => ({ sku: c.sku, category: c.category, price: c.price }))
})
afterAll(async () => { await server?.close() })

function request(over: { sku?: string; price?: number; reason?: string; condition?: string; wants?: string; rmaId?: string } = {}) {
  const item = catalog.find((c) => c.sku === over.sku) ?? catalog.find((c) => c.category === 'apparel')!
  const n = ++seq
  return {
    eventId: `flow-${n}`, type: 'return.requested', occurredAt: new Date(Date.now() - 60_000).toISOString(),
    rmaId: over.rmaId ?? `RMA-FLOW-${n}`, orderId: `O-FLOW-${n}`,
    customer: { id: `C-${n}`, lat: 31.2 + (n % 7) * 0.5, lon: 121.4 - (n % 5) * 1.5, trusted: true }, channel: 'app',
    lines: [{ sku: item.sku, qty: 1, unitPrice: over.price ?? item.price, reason: over.reason ?? 'changed_mind', condition: over.condition ?? 'like_new', wants: over.wants ?? 'refund' }],
  }
}

const events = (body: unknown) => post(`${server.url}/api/v1/events`, body, TEST_KEYS.ingest)

describe('navigator over HTTP', () => {
  it('answers each return line with a decision that is durable and explained', async () => {
    const ev = request()
    const res = await events(ev)
    expect(res.body.accepted).toBe(1)
    const [ref] = res.body.results[0].decisions
    expect(ref.trackingToken).toMatch(/^[A-Za-z0-9_-]{22,}$/)
    expect(ref.resolution).toBeTruthy()

    const stored = await query<{ weights_version: number; candidates: number }>(server.runtime.ctx.store.client, {
      query: 'SELECT weights_version, candidates FROM decisions FINAL WHERE decision_id = {id:String}', params: { id: ref.decisionId }, tag: 'test',
    })
    expect(stored).toHaveLength(1)
    expect(stored[0].candidates).toBeGreaterThan(1)

    const page = await get(`${server.url}/api/v1/returns/${ev.rmaId}`, TEST_KEYS.viewer)
    expect(page.status).toBe(200)
    expect(page.body.request.eventId).toBe(ev.eventId)
    expect(page.body.decisions[0]).toMatchObject({ decisionId: ref.decisionId, rmaId: ev.rmaId })
    expect(Object.keys(page.body.decisions[0].breakdown).length).toBeGreaterThan(2)
    expect(page.body.decisions[0].baseline.totals.netCost).toBeTypeOf('number')
    expect(page.body.tasks.length).toBeGreaterThan(0)
  })

  it('shows the customer their return by token, without costs, and 404s an unknown token', async () => {
    const ev = request()
    const ref = (await events(ev)).body.results[0].decisions[0]
    await events({ eventId: `flow-st-${ev.rmaId}`, type: 'return.status', occurredAt: new Date().toISOString(), rmaId: ev.rmaId, status: 'label_created' })
    const track = await get(`${server.url}/api/v1/track/${ref.trackingToken}`)
    expect(track.status).toBe(200)
    expect(track.body.rmaId).toBe(ev.rmaId)
    expect(track.body.status).toBe('label_created')
    expect(track.body.timeline.map((t: any) => t.status)).toEqual(['requested', 'label_created'])
    expect(JSON.stringify(track.body)).not.toMatch(/netCost|breakdown|score|recovery/)
    expect((await get(`${server.url}/api/v1/track/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404)
    expect((await get(`${server.url}/api/v1/track/..%2F..%2Fetc`)).status).toBe(404)
    expect((await get(`${server.url}/api/v1/returns/NOPE-404`, TEST_KEYS.viewer)).status).toBe(404)
  })

  it('lists the newest decisions for the feed, newest first', async () => {
    const ev = request()
    const ref = (await events(ev)).body.results[0].decisions[0]
    const recent = await get(`${server.url}/api/v1/decisions?limit=2`, TEST_KEYS.viewer)
    expect(recent.status).toBe(200)
    expect(recent.body.items).toHaveLength(2) // three exist by now
    expect(recent.body.items[0].decisionId).toBe(ref.decisionId)
    const times = recent.body.items.map((d: any) => d.decidedAt)
    expect([...times].sort().reverse()).toEqual(times)
    expect((await get(`${server.url}/api/v1/decisions?limit=0`, TEST_KEYS.viewer)).status).toBe(400)
    expect((await get(`${server.url}/api/v1/decisions`, TEST_KEYS.ingest)).status).toBe(403)
    // A missing dashboard asset is a 404, never the app's index.html.
    expect((await get(`${server.url}/assets/missing-chunk.js`)).status).toBe(404)
  })

  it('previews a weights change on recent history, applies it, and the next decision carries the new version', async () => {
    for (let i = 0; i < 20; i++) await events(request({ wants: i % 2 ? 'exchange' : 'refund' }))
    const before = await get(`${server.url}/api/v1/weights`, TEST_KEYS.viewer)
    expect(before.status).toBe(200)
    const v0 = before.body.version

    const preview = await post(`${server.url}/api/v1/weights/preview`, { weights: { wait: 50 } }, TEST_KEYS.operator)
    expect(preview.status).toBe(200)
    expect(preview.body.requests).toBeGreaterThanOrEqual(20)
    expect(preview.body.before.lines).toBe(preview.body.after.lines)
    // Waiting made 50× dearer: the candidate never waits longer on average.
    expect(preview.body.after.meanWaitHours).toBeLessThanOrEqual(preview.body.before.meanWaitHours)
    expect((await get(`${server.url}/api/v1/weights`, TEST_KEYS.viewer)).body.version).toBe(v0) // nothing applied

    expect((await post(`${server.url}/api/v1/weights/preview`, { weights: { wait: -1 } }, TEST_KEYS.operator)).status).toBe(400)
    const forbidden = await fetch(`${server.url}/api/v1/weights`, { method: 'PUT', headers: { authorization: `Bearer ${TEST_KEYS.viewer}`, 'content-type': 'application/json' }, body: '{"weights":{"wait":50}}' })
    expect(forbidden.status).toBe(403)

    const put = await fetch(`${server.url}/api/v1/weights`, {
      method: 'PUT', headers: { authorization: `Bearer ${TEST_KEYS.operator}`, 'content-type': 'application/json', 'x-revnav-user': 'li.na' },
      body: JSON.stringify({ weights: { wait: 50 }, comment: 'customers first' }),
    })
    const applied = await put.json() as any
    expect(put.status).toBe(200)
    expect(applied.version).toBe(v0 + 1)
    expect(applied.author).toMatch(/^li\.na \(operator:[0-9a-f]{8}\)$/)
    expect(applied.diff).toEqual({ 'weights.wait': { from: before.body.weights.wait, to: 50 } })

    const socket = await connect(server.url, TEST_KEYS.viewer)
    await subscribe(socket, ['decisions'])
    const live = collect(socket, 'decisions', (all) => all.flatMap((p) => p.items).length >= 1)
    const ev = request()
    await events(ev)
    const [payload] = await live
    expect(payload.items[0]).toMatchObject({ rmaId: ev.rmaId, weightsVersion: v0 + 1 })
    socket.close()

    const versions = await get(`${server.url}/api/v1/weights/versions`, TEST_KEYS.viewer)
    expect(versions.body.items.map((v: any) => v.version).slice(0, 2)).toEqual([v0 + 1, v0])
    const rollback = await post(`${server.url}/api/v1/weights/rollback/${v0}`, {}, TEST_KEYS.operator)
    expect(rollback.body).toMatchObject({ version: v0 + 2, weights: before.body.weights, comment: `rollback to version ${v0}` })
    expect((await post(`${server.url}/api/v1/weights/rollback/999`, {}, TEST_KEYS.operator)).status).toBe(404)
  })

  it('re-decides the disposition after inspection, linked to the first decision', async () => {
    const ev = request({ reason: 'defective', condition: 'defective', wants: 'refund', sku: catalog.find((c) => c.category === 'electronics')!.sku })
    const first = (await events(ev)).body.results[0].decisions[0]
    const node = first.receivingNodeId ?? server.runtime.navigator!.network.nodes[0].id
    const res = await events({ eventId: `flow-insp-${ev.rmaId}`, type: 'return.inspected', occurredAt: new Date().toISOString(), rmaId: ev.rmaId, sku: ev.lines[0].sku, grade: 'D', nodeId: node })
    expect(res.body.accepted).toBe(1)
    // The scanner's answer carries the re-decision at once.
    const [redecided] = res.body.results[0].decisions
    expect(redecided.decisionId).not.toBe(first.decisionId)
    const page = await get(`${server.url}/api/v1/returns/${ev.rmaId}`, TEST_KEYS.viewer)
    expect(page.body.decisions).toHaveLength(2)
    expect(page.body.decisions[0].decisionId).toBe(redecided.decisionId)
    expect(page.body.decisions[0]).toMatchObject({ supersedes: first.decisionId, trigger: 'inspected' })
    expect(page.body.inspections[0].grade).toBe('D')
  })

  it('re-decides open repairs when an operator takes the benches away, durably', async () => {
    const net = server.runtime.navigator!.network
    const repairable = [...net.catalog.values()].filter((c) => c.repairable)
    const repairs: { rmaId: string; decisionId: string }[] = []
    for (let i = 0; i < 12 && repairs.length < 2; i++) {
      const item = repairable[i % repairable.length]
      const ev = request({ sku: item.sku, price: item.price, reason: 'defective', condition: 'defective', wants: 'repair' })
      const ref = (await events(ev)).body.results[0].decisions[0]
      if (ref.resolution === 'repair') {
        repairs.push({ rmaId: ev.rmaId, decisionId: ref.decisionId })
        repairedItem = item
      }
    }
    expect(repairs.length).toBeGreaterThan(0)

    const benches = net.file.nodes.filter((n) => n.capabilities.includes('repair'))
    const put = (nodeId: string, body: unknown, key: string = TEST_KEYS.operator) => fetch(`${server.url}/api/v1/network/nodes/${nodeId}/capacity`, {
      method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    })
    expect((await put(benches[0].id, { repairBenchHoursPerDay: 0 }, TEST_KEYS.viewer)).status).toBe(403)
    expect((await put(benches[0].id, { repairBenchHoursPerDay: -1 })).status).toBe(400)
    expect((await put('NO-SUCH-NODE', { repairBenchHoursPerDay: 0 })).status).toBe(404)

    // The re-decisions cannot be stored: 503, and the repairs keep their stored decisions,
    // so sending the same change again re-decides them (below).
    await server.runtime.ctx.store.client.command({ query: 'DETACH TABLE decisions' })
    try {
      for (const node of benches) {
        const refused = await put(node.id, { repairBenchHoursPerDay: 0 })
        if (refused.status !== 200) expect(refused.status).toBe(503)
      }
    } finally {
      await server.runtime.ctx.store.client.command({ query: 'ATTACH TABLE decisions' })
    }

    const redecided: any[] = []
    for (const node of benches) {
      const res = await put(node.id, { repairBenchHoursPerDay: 0 })
      expect(res.status).toBe(200)
      redecided.push(...((await res.json()) as any).redecided)
    }
    for (const r of repairs) {
      const again = redecided.find((d) => d.rmaId === r.rmaId)
      expect(again).toMatchObject({ supersedes: r.decisionId })
      expect(again.resolution).not.toBe('repair')
      const page = await get(`${server.url}/api/v1/returns/${r.rmaId}`, TEST_KEYS.viewer)
      expect(page.body.decisions[0]).toMatchObject({ decisionId: again.decisionId, trigger: 'capacity_lost' })
    }
  })

  it('restores the navigator state and weights after a restart', async () => {
    const version = (await get(`${server.url}/api/v1/weights`, TEST_KEYS.viewer)).body.version
    await server.close({ keepData: true })
    server = await startTestServer({ dataDir: server.dataDir, runtime: { navigator: true } })
    // A clean shutdown left a checkpoint: the state comes back from it, not by replaying.
    const service = server.runtime.navigator!
    expect(service.restored.from).toBe('checkpoint')
    expect([...service.navigator.state.openReturns.entries()].length).toBeGreaterThan(20)
    expect((await get(`${server.url}/api/v1/weights`, TEST_KEYS.viewer)).body.version).toBe(version)
    const net = await get(`${server.url}/api/v1/network`, TEST_KEYS.viewer)
    expect(net.body.nodes.length).toBeGreaterThanOrEqual(5)
    // The benches taken away before the restart are still away: a new repair request
    // cannot be repaired.
    const item = repairedItem!
    const ref = (await events(request({ sku: item.sku, price: item.price, reason: 'defective', condition: 'defective', wants: 'repair' }))).body.results[0].decisions[0]
    expect(ref.resolution).not.toBe('repair')
  })
})
