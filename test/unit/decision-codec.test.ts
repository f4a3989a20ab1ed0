// The stored decision format: columns + compact payload must give back exactly the
// Decision the navigator made, for every kind of decision the demo network produces.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../server/contracts/decision.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../server/sim/demo-network/requests.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'
import { costTermsOf, decodeDecisionRow, type DecisionColumns } from '../../server/store/decision-codec.js'
import { decisionRow } from '../../server/store/rows.js'

const START = new Date('2026-11-02T00:00:00Z')

function demoDecisions(count: number): Decision[] {
  const net = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
  let n = 0
  const nav = new Navigator(net, () => `d-${++n}`, () => `tok-${n}`)
  for (const snap of demoInventorySnapshots(net, START)) nav.applyEvent(snap, START, DEFAULT_WEIGHTS_VERSION)
  return demoReturnRequests(net, { count, seed: 5, start: START })
    .flatMap((r) => nav.decideRequest(r, new Date(r.occurredAt), DEFAULT_WEIGHTS_VERSION))
}

/** What the store hands back for a row: the columns as written, decided_at as ClickHouse prints it. */
function storedColumns(d: Decision): DecisionColumns {
  const row = decisionRow({ decision: d, category: 'c', reason: 'r' })
  return { ...row } as unknown as DecisionColumns
}

describe('stored decision format', () => {
  const decisions = demoDecisions(1500)

  it('covers the decision kinds (so the round trip below means something)', () => {
    const kinds = new Set(decisions.map((d) => d.resolution))
    expect(kinds.size).toBeGreaterThanOrEqual(4)
    expect(decisions.some((d) => d.exchangeSourceNodeId)).toBe(true)
    expect(decisions.some((d) => d.flipPoints?.length)).toBe(true)
    expect(decisions.some((d) => d.reservations)).toBe(true)
    expect(decisions.some((d) => d.offers?.length)).toBe(true)
    expect(decisions.some((d) => d.entitlement)).toBe(true)
    expect(decisions.some((d) => d.flipPoints?.some((f) => f.to))).toBe(true)
  })

  it('decodes to exactly the decision that was encoded', () => {
    for (const d of decisions) expect(decodeDecisionRow(storedColumns(d))).toStrictEqual(JSON.parse(JSON.stringify(d)))
  })

  it('is well under half the bytes of the full decision JSON', () => {
    const full = decisions.reduce((n, d) => n + JSON.stringify(d).length, 0)
    const compact = decisions.reduce((n, d) => n + storedColumns(d).payload.length, 0)
    expect(compact / full).toBeLessThan(0.45)
  })

  it('still reads rows written before the compact format (payload = whole decision)', () => {
    const d = decisions[0]
    const legacy = { ...storedColumns(d), payload: JSON.stringify(d) }
    expect(decodeDecisionRow(legacy)).toStrictEqual(JSON.parse(JSON.stringify(d)))
  })

  it('splits the breakdown into cost families by factor name', () => {
    expect(costTermsOf({ inbound_logistics: 10, outbound_logistics: 5, handling: 3, repair_cost: 7, refund_outflow: 100, wait: 9 }))
      .toEqual({ logistics: 15, handling: 3, repair: 7, refunds: 100 })
    // Names are matched whatever their case, each in every family it names, in key order.
    expect(costTermsOf({ Refund_Repair: 2, LOGISTICS: 0.1, logistic_extra: 0.2, none: 5 }))
      .toEqual({ logistics: 0.1 + 0.2, handling: 0, repair: 2, refunds: 2 })
    expect(costTermsOf({})).toEqual({ logistics: 0, handling: 0, repair: 0, refunds: 0 })
  })
})
