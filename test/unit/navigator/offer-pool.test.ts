// Offers to customers entitled to their wish are built in the enumeration that decides
// the line (candidates.ts `offerPool`). They must be exactly what the two passes they
// replaced gave: the wish's enumeration as before, the offers from an enumeration with
// rights 'allowed' over the offerable resolutions. Compared line by line over seeded demo
// streams, on the state the decisions book, with and without bid prices (the capacity
// term), pinned, and on a network short of inspection and bench capacity.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import type { Resolution } from '../../../server/contracts/enums.js'
import type { ReturnRequested } from '../../../server/contracts/events.js'
import { publishBidPrices } from '../../../server/navigator/bid-prices.js'
import { enumerateCandidates, isMismatch, type Candidate } from '../../../server/navigator/candidates.js'
import { decideLine, entitlementOfLine } from '../../../server/navigator/decide.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { buildLineContext } from '../../../server/navigator/line-context.js'
import { loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { buildOffers } from '../../../server/navigator/offers.js'
import { resourceKey } from '../../../server/navigator/resource-keys.js'
import { entitledToWish } from '../../../server/navigator/rights.js'
import { selectTop } from '../../../server/navigator/score.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'

const demoJson = JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8'))
const net = loadNetworkOrThrow(demoJson)
/** The demo network with a sliver of its inspection and bench capacity, so plans are rejected for capacity. */
const tightNet = loadNetworkOrThrow({
  ...demoJson,
  nodes: demoJson.nodes.map((n: { inspectionsPerDay?: number; repairBenchHoursPerDay?: number }) => ({
    ...n,
    ...(n.inspectionsPerDay ? { inspectionsPerDay: Math.max(2, Math.round(n.inspectionsPerDay / 300)) } : {}),
    ...(n.repairBenchHoursPerDay ? { repairBenchHoursPerDay: 3 } : {}),
  })),
})
const START = new Date('2026-11-02T00:00:00Z')
const ON = { ...DEFAULT_WEIGHTS_VERSION, policy: { ...DEFAULT_WEIGHTS_VERSION.policy, offersToEntitled: true } }
const OFF = { ...DEFAULT_WEIGHTS_VERSION, policy: { ...DEFAULT_WEIGHTS_VERSION.policy, offersToEntitled: false } }

function demoNavigator(network = net) {
  let n = 0
  const nav = new Navigator(network, () => `n-${++n}`, () => `nt-${n}`)
  for (const snap of demoInventorySnapshots(network, START)) nav.applyEvent(snap, START, ON)
  return nav
}

function priceEverything(nav: Navigator) {
  const prices = new Map<string, number>()
  const day0 = nav.state.localDay(START.getTime())
  net.receivingNodes.forEach((n, i) => {
    for (let d = 0; d < 8; d++) prices.set(resourceKey('inspection', net.nodes[n].id, day0 + d), ((i * 7 + d * 3) % 11) * 1.5)
  })
  for (const n of net.exchangeNodes) for (const item of net.file.catalog.slice(0, 60)) prices.set(resourceKey('stock', net.nodes[n].id, item.sku), 4)
  publishBidPrices(nav.state, prices)
}

/** The resolutions offered instead of the wish, as the two-pass code chose them. */
const othersFor = (wants: ReturnRequested['lines'][number]['wants']): Resolution[] =>
  net.file.rules.offerable[wants].filter((r) => isMismatch(r, wants))

describe('offers to entitled customers, built in the deciding enumeration', () => {
  it('decide the same lines and make the same offers as the two passes, line by line over a seeded stream', () => {
    for (const priced of [false, true]) {
      const nav = demoNavigator()
      if (priced) priceEverything(nav)
      let k = 0
      const ids = { newId: () => `d-${k}`, newToken: () => `t-${k}` }
      let entitledWithPool = 0
      let entitledOffers = 0
      for (const request of demoReturnRequests(net, { count: 700, seed: 41, start: START })) {
        const now = new Date(request.occurredAt)
        const open = nav.state.recordRequest(request).request
        for (let i = 0; i < request.lines.length; i++) {
          k++
          const input = { request: open, lineIndex: i }
          const d = decideLine(input, nav.state, net, ON, now, ids)
          const strict = decideLine(input, nav.state, net, OFF, now, ids)
          // The two passes: the wish decides, an 'allowed' enumeration over the others is the pool.
          const ctx = buildLineContext(input, nav.state, net, now.getTime())
          const e = entitlementOfLine(ctx, ON)
          let expected: Decision['offers'] = strict.offers
          if (entitledToWish(e, ctx.wants)) {
            const wish = enumerateCandidates(ctx, nav.state, net, ON.policy, { rights: { mode: 'wish', entitlement: e! } })
            const others = othersFor(ctx.wants)
            if (wish.candidates.length > 0 && others.length > 0) {
              const pool = enumerateCandidates(ctx, nav.state, net, ON.policy, { rights: { mode: 'allowed', entitlement: { basis: e!.basis, allowed: others } } }).candidates
              const chosen = selectTop(wish.candidates, ON.weights, 1, net)[0].candidate
              expected = buildOffers(d.decisionId, chosen, pool, ctx, nav.state, net, ON, now.getTime())
              if (pool.length) entitledWithPool++
              entitledOffers += expected.length
            }
          }
          // The decision itself is the one without offers to entitled customers; only the offers differ.
          expect({ ...d, offers: [] }).toEqual({ ...strict, offers: [] })
          expect(d.offers).toEqual(expected)
          nav.state.recordDecision(d)
        }
      }
      // The comparison covered the offers it is about.
      expect(entitledWithPool).toBeGreaterThan(100)
      expect(entitledOffers).toBeGreaterThan(40)
    }
  })

  it('build the same pool as an enumeration with rights allowed over those resolutions: pinned or not, short of capacity or priced', () => {
    for (const tight of [false, true]) {
      const network = tight ? tightNet : net
      const nav = demoNavigator(network)
      if (!tight) priceEverything(nav)
      let compared = 0
      let poolCapacityRejections = 0
      const requests = demoReturnRequests(network, { count: 600, seed: 43, start: START })
      for (const [ri, request] of requests.entries()) {
        const now = new Date(request.occurredAt)
        const open = nav.state.recordRequest(request).request
        for (let i = 0; i < request.lines.length; i++) {
          const input = { request: open, lineIndex: i }
          const ctx = buildLineContext(input, nav.state, network, now.getTime())
          const e = entitlementOfLine(ctx, ON)
          const others = othersFor(ctx.wants)
          if (entitledToWish(e, ctx.wants) && others.length > 0) {
            // Every other request pinned to one inbound mode (a parcel on its way), so pinned rejections count too.
            const mode = network.modes[ri % network.modes.length].mode
            const restrict = ri % 2 ? (c: Candidate) => c.inboundMode === 'none' || c.inboundMode === mode : undefined
            const one = enumerateCandidates(ctx, nav.state, network, ON.policy, { restrict, rights: { mode: 'wish', entitlement: e! }, offerPool: others })
            const wish = enumerateCandidates(ctx, nav.state, network, ON.policy, { restrict, rights: { mode: 'wish', entitlement: e! } })
            const pool = enumerateCandidates(ctx, nav.state, network, ON.policy, { restrict, rights: { mode: 'allowed', entitlement: { basis: e!.basis, allowed: others } } })
            expect(one.candidates).toEqual(wish.candidates)
            expect(one.rejections).toEqual(wish.rejections)
            expect(one.total).toBe(wish.total)
            expect(one.pool).toEqual(pool.candidates)
            if (pool.candidates.length) compared++
            for (const [why, n] of Object.entries(pool.rejections)) if (why.endsWith('_capacity')) poolCapacityRejections += n
          }
          nav.state.recordDecision(decideLine(input, nav.state, network, ON, now, { newId: () => `p-${ri}-${i}`, newToken: () => `pt-${ri}-${i}` }))
        }
      }
      expect(compared).toBeGreaterThan(50)
      if (tight) expect(poolCapacityRejections).toBeGreaterThan(500)
    }
  })
})
