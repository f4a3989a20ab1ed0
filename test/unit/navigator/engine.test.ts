// The engine on the demo network: every decision honours the contract, the what-if
// preview changes nothing live, state can be rebuilt from events + stored decisions,
// and the network loader reports a bad file as values.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Decision } from '../../../server/contracts/decision.js'
import { PreviewResult } from '../../../server/contracts/preview.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { loadNetwork, loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { sequentialIds } from './fixtures.js'
import type { Candidate } from '../../../server/navigator/candidates.js'
import { decideLine } from '../../../server/navigator/decide.js'
import { publishBidPrices } from '../../../server/navigator/bid-prices.js'
import { resourceKey } from '../../../server/navigator/resource-keys.js'

const demoJson = JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8'))
const net = loadNetworkOrThrow(demoJson)
const START = new Date('2026-11-02T00:00:00Z')
const W = DEFAULT_WEIGHTS_VERSION

const nodeId = (i: number) => (i < 0 ? null : net.nodes[i].id)
/** A plan's path as the preview compares them (engine.ts samePath). */
function candidateKey(c: Candidate): string {
  return [c.resolution, c.inboundMode, nodeId(c.receivingNode), nodeId(c.exchangeSource), c.disposition, c.swapAtDoor, c.refundTiming ?? null, c.advanceExchange].join('|')
}
function decisionKey(d: Decision): string {
  return [d.resolution, d.inboundMode, d.receivingNodeId ?? null, d.exchangeSourceNodeId ?? null, d.disposition, d.swapAtDoor ?? false,
    d.refundTiming ?? null, d.advanceExchange ?? false].join('|')
}

function demoNavigator(prefix = 'd') {
  const ids = sequentialIds(prefix)
  const nav = new Navigator(net, ids.newId, ids.newToken)
  for (const snap of demoInventorySnapshots(net, START)) nav.applyEvent(snap, START, W)
  return nav
}

describe('demo network', () => {
  it('loads: ~8 processing nodes in Chinese cities and a few hundred SKUs over five categories', () => {
    const processing = net.nodes.filter((n) => n.kind !== 'drop_off')
    expect(processing.length).toBeGreaterThanOrEqual(8)
    expect(net.file.catalog.length).toBeGreaterThanOrEqual(200)
    expect(new Set(net.file.catalog.map((c) => c.category))).toEqual(new Set(['apparel', 'footwear', 'electronics', 'home', 'beauty']))
    expect(net.file.currency).toBe('CNY')
  })
  it('a broken file comes back as errors with paths', () => {
    const bad = structuredClone(demoJson)
    bad.nodes[1].id = bad.nodes[0].id
    bad.catalog[0].category = 'toys'
    const r = loadNetwork(bad)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['nodes.1.id', 'catalog.0.category']))
    }
  })
})

describe('engine on a demo stream', () => {
  it('every decision, re-decision and baseline parses with the Decision contract', () => {
    const nav = demoNavigator()
    const requests = demoReturnRequests(net, { count: 300, start: START })
    const all: Decision[] = []
    for (const r of requests) all.push(...nav.decideRequest(r, new Date(r.occurredAt), W))
    // Inspect a third of them with a grade, and drop stock under some reservations.
    const later = new Date(START.getTime() + 5 * 86_400_000)
    for (const d of all.filter((_, i) => i % 3 === 0)) {
      if (!d.receivingNodeId) continue
      all.push(...nav.applyEvent({
        eventId: `i-${d.decisionId}`, type: 'return.inspected', occurredAt: later.toISOString(), rmaId: d.rmaId,
        lineId: `L${d.lineIndex + 1}`, sku: d.sku, grade: (['A', 'B', 'C', 'D'] as const)[d.lineIndex % 4], nodeId: d.receivingNodeId,
      }, later, W))
    }
    const exchange = all.find((d) => d.resolution === 'exchange' && d.reservations?.stock)!
    expect(exchange).toBeDefined()
    const { nodeId, sku } = exchange.reservations!.stock!
    all.push(...nav.applyEvent({ eventId: 'drop', type: 'inventory.snapshot', occurredAt: later.toISOString(), nodeId, items: [{ sku, onHand: 0 }] }, later, W))
    expect(all.some((d) => d.trigger === 'capacity_lost')).toBe(true)
    expect(all.some((d) => d.trigger === 'inspected')).toBe(true)
    for (const d of all) {
      const parsed = Decision.safeParse(d)
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true)
      expect(d.trackingToken.length).toBeGreaterThan(0)
      expect(d.alternatives.length).toBeLessThanOrEqual(3)
      // The breakdown's terms add up to the score (each term rounded to cents).
      const sum = Object.values(d.breakdown).reduce((a, b) => a + b, 0)
      if (!d.flags?.includes('no_feasible_candidate')) expect(Math.abs(sum - d.totals.score)).toBeLessThan(0.1)
    }
  })

  it('the what-if preview changes nothing live and reports the deltas', () => {
    const nav = demoNavigator()
    const requests = demoReturnRequests(net, { count: 400, start: START, seed: 3 })
    const firstNode = net.exchangeNodes[0]
    const sku = net.file.catalog[0].sku
    const before = { onHand: nav.state.onHand(firstNode, sku), reserved: nav.state.reserved(firstNode, sku) }
    const candidate = { ...W, version: 99, weights: { ...W.weights, wait: 0.05 } }
    const result = nav.preview(requests, candidate, W, START)
    expect(PreviewResult.safeParse(result).success).toBe(true)
    expect(nav.state.onHand(firstNode, sku)).toBe(before.onHand)
    expect(nav.state.reserved(firstNode, sku)).toBe(before.reserved)
    expect(nav.openDecisions(requests[0].rmaId)).toEqual([])
    expect(result.requests).toBe(400)
    // Waiting is cheaper under the candidate: fewer courier pickups, longer waits, lower cost.
    expect(result.changed).toBeGreaterThan(0)
    expect(result.after.meanWaitHours).toBeGreaterThan(result.before.meanWaitHours)
    expect(result.after.totalNetCost).toBeLessThan(result.before.totalNetCost)
    expect(result.delta.totalNetCost).toBeCloseTo(result.after.totalNetCost - result.before.totalNetCost, 1)
    expect(result.sample.length).toBe(Math.min(20, result.changed))
    // Same weights on both sides: nothing changes.
    expect(nav.preview(requests, W, W, START).changed).toBe(0)
  })

  it('the preview decides every line as a full re-decision under each weight set would, with and without bid prices', () => {
    for (const priced of [false, true]) {
      const nav = demoNavigator()
      const history = demoReturnRequests(net, { count: 300, start: START, seed: 11 })
      for (const r of history) nav.decideRequest(r, new Date(r.occurredAt), W)
      if (priced) {
        // Prices on the inspection days of every receiving node and on the replacements'
        // stock, so the capacity term (and the best-only bound that leaves it out) matters.
        const prices = new Map<string, number>()
        const day0 = nav.state.localDay(START.getTime())
        net.receivingNodes.forEach((n, i) => {
          for (let d = 0; d < 8; d++) prices.set(resourceKey('inspection', net.nodes[n].id, day0 + d), ((i * 7 + d * 3) % 11) * 1.5)
        })
        for (const n of net.exchangeNodes) for (const item of net.file.catalog.slice(0, 60)) prices.set(resourceKey('stock', net.nodes[n].id, item.sku), 4)
        publishBidPrices(nav.state, prices)
      }
      const requests = demoReturnRequests(net, { count: 500, start: START, seed: 12 })
      const candidate = { ...W, version: 99, weights: { ...W.weights, wait: W.weights.wait * 0.5, co2: W.weights.co2 * 2 } }
      // Full decisions (explanations, offers, every candidate) on a fork per weight set, each
      // line booking what its decision reserves: what the preview must reproduce.
      const full = [W, candidate].map((weights) => {
        const fork = nav.state.fork()
        const ids = sequentialIds(`full-${weights.version}`)
        const keys: string[] = []
        for (const r of requests) {
          for (let i = 0; i < r.lines.length; i++) {
            const d = decideLine({ request: r, lineIndex: i }, fork, net, weights, new Date(r.occurredAt), ids)
            if (d.reservations) fork.reserve(d.decisionId, d.reservations)
            keys.push(decisionKey(d))
          }
        }
        return keys
      })
      const { before, after } = nav.replay(requests, W, candidate)
      expect(before.map((o) => candidateKey(o.c))).toEqual(full[0])
      expect(after.map((o) => candidateKey(o.c))).toEqual(full[1])
      const result = nav.preview(requests, candidate, W, START)
      const changed = full[0].filter((k, i) => k !== full[1][i]).length
      expect(changed).toBeGreaterThan(0)
      expect(result.changed).toBe(changed)
    }
  })

  it('rebuilds the same live state from the events and the stored decisions', () => {
    const nav = demoNavigator('a')
    const requests = demoReturnRequests(net, { count: 200, start: START, seed: 5 })
    const decisions: Decision[] = []
    for (const r of requests) decisions.push(...nav.decideRequest(r, new Date(r.occurredAt), W))
    const cancelled = requests[1]
    nav.applyEvent({ eventId: 'x', type: 'return.status', occurredAt: START.toISOString(), rmaId: cancelled.rmaId, status: 'cancelled' }, START, W)

    const ids = sequentialIds('b')
    const rebuilt = new Navigator(net, ids.newId, ids.newToken)
    rebuilt.restore({
      events: [
        ...demoInventorySnapshots(net, START), ...requests,
        { eventId: 'x', type: 'return.status', occurredAt: START.toISOString(), rmaId: cancelled.rmaId, status: 'cancelled' },
      ],
      decisions,
    })
    for (const idx of net.exchangeNodes) {
      for (const item of net.file.catalog.slice(0, 80)) {
        expect(rebuilt.state.reserved(idx, item.sku)).toBe(nav.state.reserved(idx, item.sku))
      }
    }
    expect(rebuilt.openDecisions(cancelled.rmaId)).toEqual([])
    expect(rebuilt.openDecisions(requests[0].rmaId)).toEqual(nav.openDecisions(requests[0].rmaId))
    // Both decide the next request identically (ids aside).
    const next = demoReturnRequests(net, { count: 1, start: START, seed: 9 })[0]
    const a = nav.decideRequest(next, START, W)[0]
    const b = rebuilt.decideRequest(next, START, W)[0]
    expect({ ...b, decisionId: '', trackingToken: '' }).toEqual({ ...a, decisionId: '', trackingToken: '' })
  })
})
