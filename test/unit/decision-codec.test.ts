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
import { v2Payload } from './decision-codec-v2.js'

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

  it('still reads rows of version 2', () => {
    for (const d of decisions) {
      const v2 = { ...storedColumns(d), payload: JSON.stringify(v2Payload(d)) }
      expect(decodeDecisionRow(v2)).toStrictEqual(JSON.parse(JSON.stringify(d)))
    }
  })

  it('is smaller than version 2', () => {
    const v2 = decisions.reduce((n, d) => n + JSON.stringify(v2Payload(d)).length, 0)
    const v3 = decisions.reduce((n, d) => n + storedColumns(d).payload.length, 0)
    expect(v3 / v2).toBeLessThan(0.85)
  })

  it('reads a stored version 3 payload: its dictionaries keep their indexes', () => {
    // Written by this format: a step kind, rejection reasons, a flip weight stored as
    // indexes; path fields as 0 (the decision's own); an alternative's breakdown as
    // changes; a flip point's path as an alternative's index, another as a path.
    const payload = JSON.stringify({
      v: 3, s: [[2, null, 6, 89.36], ['a_new_kind', 'WH-RC', 7, 0]], b: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      a: [[0, 'self_ship', 0, 0, 0, 0, 539.37, 52.06, 84.35, 2.645, 630.53, [0, 86.47, 9, 0], 'receipt']],
      r: [0, 12, 'a_new_reason', 3, 13, 20], t: [], bl: ['courier_pickup', 'HZ-RC', 75.11, 684.35],
      f: [[0, 1, 0.25, 'below', 0], [4, 1, 8.2, 'above', [0, 0, 'HZ-RC', 0, 'liquidate', 1]], ['new_weight', 1, 2, 'above']],
    })
    const row = { ...storedColumns(decisions[0]), resolution: 'refund', inbound_mode: 'courier_pickup', receiving_node_id: 'WH-RC', exchange_source_node_id: '', disposition: 'restock_new', payload }
    const d = decodeDecisionRow(row)
    expect(d.steps.map((s) => s.kind)).toEqual(['book_pickup', 'a_new_kind'])
    expect(d.rejections).toEqual({ other_vendor: 12, a_new_reason: 3, weight_limit: 20 })
    expect(Object.keys(d.rejections)).toEqual(['other_vendor', 'a_new_reason', 'weight_limit'])
    const path = { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'WH-RC', exchangeSourceNodeId: null, disposition: 'restock_new' }
    expect(d.alternatives).toEqual([{ ...path, refundTiming: 'receipt', totals: { netCost: 539.37, recovery: 52.06, waitHours: 84.35, co2Kg: 2.645, score: 630.53 }, breakdown: {
      logistics: 86.47, handling: 2, repair: 3, refund: 4, recovery: 5, retained: 6, wait: 7, co2: 8, cx: 9, risk: 0,
    } }])
    expect(d.flipPoints).toEqual([
      { weight: 'cost', current: 1, flipsAt: 0.25, direction: 'below', to: { ...path, refundTiming: 'receipt' } },
      { weight: 'risk', current: 1, flipsAt: 8.2, direction: 'above', to: { ...path, inboundMode: 'courier_pickup', receivingNodeId: 'HZ-RC', disposition: 'liquidate', swapAtDoor: true } },
      { weight: 'new_weight', current: 1, flipsAt: 2, direction: 'above' },
    ])
  })

  it('keeps an alternative\'s empty node id, which the decision\'s column reads as none', () => {
    const d = decisions.find((x) => x.alternatives.length > 0)!
    const odd = { ...d, receivingNodeId: '', alternatives: [{ ...d.alternatives[0], receivingNodeId: '' }] }
    expect(decodeDecisionRow(storedColumns(odd)).alternatives[0].receivingNodeId).toBe('')
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
