// Cuts are re-planned, not dumped (issue 17): the demo's repair bench holds many repairs,
// then PUT /network/nodes/SZ-RP/capacity cuts it from 64 to 16 h a day. The displaced
// plans are re-decided: some move to other bench days, a wish is given up only where no
// plan can honour it any more, a customer entitled to the repair keeps it while anyone
// merely granted one holds a bench slot it could use, and no slot is over-booked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Decision } from '../../server/contracts/decision.js'
import { dayDate, holdersOf, overBooked } from '../../server/navigator/capacity.js'
import { decideLine } from '../../server/navigator/decide.js'
import { entitledToWish } from '../../server/navigator/rights.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
const BENCH = 'SZ-RP'
const DAY_MS = 86_400_000

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
})
afterAll(async () => { await server?.close() })

const putCapacity = (nodeId: string, body: unknown) => fetch(`${server.url}/api/v1/network/nodes/${nodeId}/capacity`, {
  method: 'PUT', headers: { authorization: `Bearer ${TEST_KEYS.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

describe('a bench cut from 64 to 16 h re-plans the repairs it displaces', () => {
  it('moves what fits, keeps entitled repairs, honours wishes wherever a plan can, over-books nothing', async () => {
    const service = server.runtime.navigator!
    const { network, navigator } = service
    const state = navigator.state
    const node = network.nodeIndex.get(BENCH)!
    expect(state.benchHoursPerDay(node)).toBe(64)
    const repairTypes = new Set(network.nodes[node].repairProductTypes)
    const items = [...network.catalog.values()].filter((c) => c.repairable && repairTypes.has(c.productType ?? '')).slice(0, 8)
    expect(items.length).toBeGreaterThan(2)

    // Defective goods wanting a repair: half delivered 30 days ago (the CN guarantee entitles
    // them to the repair), half 500 days ago (no right left: a repair is goodwill).
    const now = Date.now()
    let n = 0
    const request = (entitled: boolean) => {
      const i = ++n
      const item = items[i % items.length]
      return {
        eventId: `cut-${i}`, type: 'return.requested', occurredAt: new Date(now - 60_000).toISOString(),
        rmaId: `RMA-CUT-${i}`, orderId: `O-CUT-${i}`, deliveredAt: new Date(now - (entitled ? 30 : 500) * DAY_MS).toISOString(),
        customer: { id: `C-CUT-${i}`, lat: 22.6, lon: 114.1, trusted: true }, channel: 'app',
        lines: [{ sku: item.sku, qty: 1, unitPrice: item.price, reason: 'defective', condition: 'defective', wants: 'repair' }],
      }
    }
    // Booked until the bench holds well over what 16 h a day can take in its look-ahead.
    const benchBooked = () => [...state.benchEntries()].filter(([k]) => k.startsWith(`${node}|`)).reduce((a, [, v]) => a + v, 0)
    for (let round = 0; round < 20 && benchBooked() < 110; round++) {
      const batch = Array.from({ length: 10 }, (_, k) => request(k % 2 === 0))
      const res = await post(`${server.url}/api/v1/events`, batch, TEST_KEYS.ingest)
      expect(res.status).toBe(200)
    }
    const ours = () => Array.from({ length: n }, (_, k) => state.openReturn(`RMA-CUT-${k + 1}`)?.lines.get(0)?.decision).filter((d): d is Decision => d !== undefined)
    const before = new Map(ours().map((d) => [d.rmaId, d]))
    const repairsBefore = [...before.values()].filter((d) => d.resolution === 'repair')
    expect(benchBooked()).toBeGreaterThanOrEqual(110)
    const entitledRepair = (d: Decision) => entitledToWish(d.entitlement ?? null, 'repair')
    expect(repairsBefore.some(entitledRepair)).toBe(true)
    expect(repairsBefore.some((d) => !entitledRepair(d))).toBe(true)

    const cutAt = Date.now()
    const res = await putCapacity(BENCH, { repairBenchHoursPerDay: 16 })
    expect(res.status).toBe(200)
    const redecided = res.body.redecided as { rmaId: string; decisionId: string; supersedes: string; resolution: string }[]
    expect(redecided.length).toBeGreaterThan(0)
    // Each displaced line is re-decided once.
    expect(new Set(redecided.map((r) => r.rmaId)).size).toBe(redecided.length)

    // Nothing over-booked, in the live state and in what the API shows.
    expect(overBooked(state)).toEqual([])
    const cap = await get(`${server.url}/api/v1/capacity`, TEST_KEYS.viewer)
    // The plans were re-decided with prices solved for the new capacity, before the answer.
    expect(Date.parse(cap.body.solve.solvedAt)).toBeGreaterThanOrEqual(cutAt)
    for (const d of cap.body.days as { resource: string; capacity: number | null; booked: number }[]) {
      if (d.capacity !== null) expect(d.booked).toBeLessThanOrEqual(d.capacity + 1e-9)
    }

    const after = new Map(ours().map((d) => [d.rmaId, d]))
    const moved: Decision[] = []
    const dropped: Decision[] = []
    for (const r of redecided) {
      const prev = before.get(r.rmaId)
      if (!prev) continue // a return of another test's making
      const d = after.get(r.rmaId)!
      expect(d.decisionId).toBe(r.decisionId)
      expect(d.supersedes).toBe(prev.decisionId)
      expect(d.trigger).toBe('capacity_lost')
      if (d.resolution === 'repair') moved.push(d)
      else dropped.push(d)
    }
    // Some displaced repairs stay repairs on another bench day (or node); the bench could not
    // take them all.
    expect(moved.length).toBeGreaterThan(0)
    for (const d of moved) {
      const prev = before.get(d.rmaId)!
      const was = prev.reservations?.bench
      const now2 = d.reservations?.bench
      expect(now2).toBeDefined()
      expect(now2!.nodeId !== was!.nodeId || now2!.day !== was!.day).toBe(true)
    }
    expect(dropped.length).toBeGreaterThan(0)
    // The entitled repairs fit the cut bench: none of them is given up.
    expect(dropped.filter(entitledRepair).map((d) => d.rmaId)).toEqual([])

    // Entitled wishes are never dropped while a goodwill repair holds bench hours.
    const goodwillHolding = ours().filter((d) => d.resolution === 'repair' && !entitledRepair(d) && d.reservations?.bench)
    for (const d of dropped) {
      if (entitledRepair(d)) expect(goodwillHolding.map((g) => g.rmaId)).toEqual([])
      // Whatever was given instead stays within what the law gives the customer.
      if (d.entitlement) expect(d.entitlement.allowed).toContain(d.resolution === 'keep_it' ? 'refund' : d.resolution)
    }

    // A wish given up only where no plan honours it any more: deciding the line again on
    // the state the cut left (its own new plan given back) finds no plan for the wish.
    const weights = service.weights.inForce
    const ids = { newId: () => 'probe', newToken: () => 'probe' }
    for (const d of dropped) {
      const open = state.openReturn(d.rmaId)!
      const fork = state.fork()
      fork.release(d.decisionId)
      const probe = decideLine({ request: open.request, lineIndex: 0 }, fork, network, weights, new Date(cutAt), ids)
      expect(probe.resolution, `${d.rmaId} was given ${d.resolution} though a repair still fits`).not.toBe('repair')
    }

    // Every bench day still holds no more than 16 h, and each holder is one of the open plans.
    for (let day = state.localDay(cutAt) - 1; day <= state.localDay(cutAt) + 20; day++) {
      expect(state.benchHoursPerDay(node) - state.benchFree(node, day)).toBeLessThanOrEqual(16 + 1e-9)
      for (const id of holdersOf(state, 'bench', BENCH, day)) expect(state.openLineOf(id), `${id} on ${dayDate(day)}`).toBeDefined()
    }
  })
})
