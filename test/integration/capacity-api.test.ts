// GET /api/v1/capacity: a repair decided over HTTP shows as booked bench hours on its day;
// the bid-prices job run by hand publishes its prices there; bad ranges are 400s.
// PUT /api/v1/network/nodes/:nodeId/capacity takes every node limit and re-solves the prices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayDate } from '../../server/navigator/capacity.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { waitFor } from '../helpers/upload.js'
import { latestLimits } from '../../server/store/capacity-repo.js'

let server: TestServer
let repairable: { sku: string; price: number }

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
  const network = server.runtime.navigator!.network
  const repairTypes = new Set(network.nodes.flatMap((n) => n.repairProductTypes))
  const item = [...network.catalog.values()].find((c) => c.repairable && repairTypes.has(c.productType ?? ''))!
  repairable = { sku: item.sku, price: item.price }
})
afterAll(async () => { await server?.close() })

let seq = 0
function repairRequest() {
  const n = ++seq
  return {
    eventId: `cap-api-${n}`, type: 'return.requested', occurredAt: new Date(Date.now() - 60_000).toISOString(),
    rmaId: `RMA-CAP-${n}`, orderId: `O-CAP-${n}`,
    customer: { id: `C-CAP-${n}`, lat: 22.6, lon: 114.1, trusted: true }, channel: 'app',
    lines: [{ sku: repairable.sku, qty: 1, unitPrice: repairable.price, reason: 'defective', condition: 'defective', wants: 'repair' }],
  }
}

type Day = { nodeId: string; resource: string; day: string; capacity: number | null; booked: number; bidPrice: number }

describe('GET /api/v1/capacity', () => {
  it('a bid-prices run on a store without returns succeeds and prices nothing', async () => {
    const run = await server.runtime.scheduler.runNow('bid-prices')
    expect(run.status).toBe('ok')
    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    expect((cap.body.days as Day[]).filter((d) => d.bidPrice > 0)).toEqual([])
  })

  it('shows the bench hours a repair booked, on its node and day, within the bench capacity', async () => {
    const res = await post(`${server.url}/api/v1/events`, repairRequest(), TEST_KEYS.ingest)
    expect(res.status).toBe(200)
    const ref = res.body.results[0].decisions[0]
    expect(ref.resolution).toBe('repair')
    const page = await get(`${server.url}/api/v1/returns/${ref.rmaId ?? 'RMA-CAP-1'}`, TEST_KEYS.viewer)
    const bench = page.body.decisions[0].reservations.bench as { nodeId: string; day: number; hours: number }

    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    expect(cap.status).toBe(200)
    expect(cap.body.days.length).toBeGreaterThan(0)
    const slot = (cap.body.days as Day[]).find((d) => d.resource === 'bench' && d.nodeId === bench.nodeId && d.day === dayDate(bench.day))
    expect(slot).toBeDefined()
    expect(slot!.booked).toBeCloseTo(bench.hours, 6)
    expect(slot!.capacity).toBeGreaterThanOrEqual(slot!.booked)
    // Every day in the default range is within the horizon from today.
    for (const d of cap.body.days as Day[]) expect(d.day >= cap.body.from && d.day <= cap.body.to).toBe(true)
  })

  it('takes from/to, and answers a reversed, unknown or too long range with a 400 naming the field', async () => {
    const from = dayDate(server.runtime.navigator!.navigator.state.localDay(Date.now()))
    const ok = await get(`${server.url}/api/v1/capacity?from=${from}&to=${from}`, TEST_KEYS.viewer)
    expect(ok.status).toBe(200)
    expect(new Set((ok.body.days as Day[]).map((d) => d.day))).toEqual(new Set([from]))

    const reversed = await get(`${server.url}/api/v1/capacity?from=2026-03-10&to=2026-03-01`, TEST_KEYS.viewer)
    expect(reversed.status).toBe(400)
    expect(reversed.body.issues[0].path).toBe('from')
    const bad = await get(`${server.url}/api/v1/capacity?from=yesterday`, TEST_KEYS.viewer)
    expect(bad.status).toBe(400)
    expect(bad.body.issues[0].path).toBe('from')
    const long = await get(`${server.url}/api/v1/capacity?from=2026-01-01&to=2026-12-31`, TEST_KEYS.viewer)
    expect(long.status).toBe(400)
    expect(long.body.issues[0].path).toBe('to')
    expect((await get(`${server.url}/api/v1/capacity`, 'not-a-key')).status).toBe(401)
  })

  it('shows the prices of a bid-prices run (run by hand) on the slots they price', async () => {
    // Enough repairs that the forecast from them fills a small bench: its days get prices.
    const nodeId = server.runtime.navigator!.network.nodes.find((n) => n.capabilities.includes('repair'))!.id
    const put = await fetch(`${server.url}/api/v1/network/nodes/${nodeId}/capacity`, {
      method: 'PUT', headers: { authorization: `Bearer ${TEST_KEYS.operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ repairBenchHoursPerDay: 2 }),
    })
    expect(put.status).toBe(200)
    // The change started a bid-prices run of its own; let it end so ours sees the new returns.
    await waitFor(async () => (await bidPricesStatus())?.running === false && (await bidPricesStatus())?.lastRun !== null, 'the bid-prices run the change started')
    for (let i = 0; i < 12; i++) await post(`${server.url}/api/v1/events`, repairRequest(), TEST_KEYS.ingest)
    const run = await server.runtime.scheduler.runNow('bid-prices')
    expect(run.status).toBe('ok')
    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    const priced = (cap.body.days as Day[]).filter((d) => d.bidPrice > 0)
    expect(priced.length).toBeGreaterThan(0)
    const binding = cap.body.binding as { resource: string; slot: string; capacity: number | null; bidPrice: number }[]
    expect(binding.some((b) => b.bidPrice > 0)).toBe(true)
    // Day slots are dates; a slot with no room at all is never priced (no plan can use it).
    for (const b of binding) if (b.resource === 'bench') expect(b.slot).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    for (const b of binding) if (b.bidPrice > 0) expect(b.capacity === null || b.capacity > 0).toBe(true)
    // The solve's KPI over the same returns, a share of the best their shared capacity allowed.
    const solve = cap.body.solve as { lines: number; bound: number; realised: number; efficiency: number | null; columns: number; solveCpuMs: number | null }
    expect(solve.columns).toBeGreaterThan(0)
    // The solve's CPU time is recorded beside its wall clock (migration 0096).
    expect(solve.solveCpuMs).toBeGreaterThan(0)
    expect(solve.lines).toBeGreaterThan(0)
    expect(solve.realised).toBeGreaterThan(0)
    expect(solve.efficiency).toBeGreaterThan(0)
    expect(solve.efficiency).toBeLessThanOrEqual(1)
    for (const d of cap.body.days as Day[]) if (d.capacity !== null) expect(d.booked).toBeLessThanOrEqual(d.capacity + 1e-9)
    // Beside the score: the wishes the decisions and hindsight turned away, and the gap per line.
    const kpi = cap.body.solve as { wishesLost: number | null; hindsightWishesLost: number | null; gapPerLine: number | null; realised: number; bound: number }
    expect(kpi.wishesLost).toBeGreaterThanOrEqual(0)
    expect(kpi.hindsightWishesLost).toBeGreaterThanOrEqual(0)
    expect(kpi.gapPerLine).toBeCloseTo(Math.max(0, kpi.realised - kpi.bound) / solve.lines, 6)
    // And first come first served over the same lines: a share of the same bound, and its wishes lost.
    const greedy = cap.body.solve as { greedyEfficiency: number | null; savedVsGreedyPerLine: number | null; greedyWishesLost: number | null }
    expect(greedy.greedyEfficiency).toBeGreaterThan(0)
    expect(greedy.greedyEfficiency).toBeLessThanOrEqual(1)
    expect(Number.isFinite(greedy.savedVsGreedyPerLine)).toBe(true)
    expect(greedy.greedyWishesLost).toBeGreaterThanOrEqual(0)
  })

  it('answers the prices successive solves published per slot and day, and the latest KPI alone', async () => {
    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    const hist = await get(`${server.url}/api/v1/capacity/history`, TEST_KEYS.viewer)
    expect(hist.status).toBe(200)
    expect(hist.body).toMatchObject({ from: cap.body.from, to: cap.body.to, truncated: false })
    const solves = hist.body.solves as { solvedAt: string }[]
    // The runs of the tests above: the one by hand, and the one the capacity change started.
    expect(solves.length).toBeGreaterThanOrEqual(2)
    expect(solves.map((s) => s.solvedAt)).toEqual([...solves.map((s) => s.solvedAt)].sort())
    const latest = solves.at(-1)!.solvedAt
    expect(latest).toBe(cap.body.solve.solvedAt)
    // The latest solve's rows are the prices in force on those days' slots, and only those.
    const prices = hist.body.prices as { solvedAt: string; resource: string; nodeId: string; day: string; price: number }[]
    const inForce = (cap.body.days as Day[]).filter((d) => d.bidPrice > 0).map((d) => `${d.resource}|${d.nodeId}|${d.day}|${d.bidPrice.toFixed(6)}`).sort()
    expect(inForce.length).toBeGreaterThan(0)
    expect(prices.filter((p) => p.solvedAt === latest).map((p) => `${p.resource}|${p.nodeId}|${p.day}|${p.price.toFixed(6)}`).sort()).toEqual(inForce)
    for (const p of prices) expect(p.day >= hist.body.from && p.day <= hist.body.to).toBe(true)

    const one = await get(`${server.url}/api/v1/capacity/history?from=${cap.body.from}&to=${cap.body.from}&hours=1`, TEST_KEYS.viewer)
    expect(one.status).toBe(200)
    for (const p of one.body.prices as { day: string }[]) expect(p.day).toBe(cap.body.from)
    for (const hours of ['0', '337', 'x']) {
      const bad = await get(`${server.url}/api/v1/capacity/history?hours=${hours}`, TEST_KEYS.viewer)
      expect(bad.status).toBe(400)
      expect(bad.body.issues[0].path).toBe('hours')
    }
    expect((await get(`${server.url}/api/v1/capacity/history?from=2026-03-10&to=2026-03-01`, TEST_KEYS.viewer)).status).toBe(400)

    const eff = await get(`${server.url}/api/v1/capacity/efficiency`, TEST_KEYS.viewer)
    expect(eff.status).toBe(200)
    expect(eff.body.solve).toEqual(cap.body.solve)
    expect((await get(`${server.url}/api/v1/capacity/efficiency`, 'not-a-key')).status).toBe(401)
  })
})

const bidPricesStatus = async () => (await server.runtime.scheduler.status()).find((j) => j.job === 'bid-prices')

const putCapacity = (nodeId: string, body: unknown) => fetch(`${server.url}/api/v1/network/nodes/${nodeId}/capacity`, {
  method: 'PUT', headers: { authorization: `Bearer ${TEST_KEYS.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

describe('PUT /api/v1/network/nodes/:nodeId/capacity', () => {
  it('takes inspections and outlet units per day, stores them, shows them and re-solves the bid prices', async () => {
    const network = server.runtime.navigator!.network
    const inspecting = network.nodes.find((n) => n.capabilities.includes('inspect'))!
    const runsBefore = (await bidPricesStatus())?.recentRuns.length ?? 0
    const res = await putCapacity(inspecting.id, { inspectionsPerDay: 3, outletUnitsPerDay: 2 })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ nodeId: inspecting.id, inspectionsPerDay: 3, outletUnitsPerDay: 2 })
    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    const rows = (cap.body.days as Day[]).filter((d) => d.nodeId === inspecting.id && d.resource === 'inspection')
    expect(rows.length).toBe(14)
    for (const d of rows) expect(d.capacity).toBe(3)
    expect(await latestLimits(server.runtime.ctx.store.client)).toEqual(expect.arrayContaining([
      { nodeId: inspecting.id, kind: 'inspectionsPerDay', value: 3 }, { nodeId: inspecting.id, kind: 'outletUnitsPerDay', value: 2 },
    ]))
    await waitFor(async () => ((await bidPricesStatus())?.recentRuns.length ?? 0) > runsBefore, 'a bid-prices run after the change')
  })

  it('answers a body without a limit, a fractional count or an RTV quota on a node without a vendor with a 400 naming the field', async () => {
    const network = server.runtime.navigator!.network
    const plain = network.nodes.find((n) => !n.vendorId && ![...network.vendors.values()].some((v) => v.nodeId === n.id))!
    expect((await putCapacity(plain.id, {})).status).toBe(400)
    const frac = await putCapacity(plain.id, { inspectionsPerDay: 1.5 })
    expect(frac.status).toBe(400)
    expect(frac.body.issues[0].path).toBe('inspectionsPerDay')
    const rtv = await putCapacity(plain.id, { rtvUnitsPerPeriod: 5 })
    expect(rtv.status).toBe(400)
    expect(rtv.body.issues[0].path).toBe('rtvUnitsPerPeriod')
    expect((await putCapacity('NO-SUCH-NODE', { inspectionsPerDay: 1 })).status).toBe(404)
  })
})
