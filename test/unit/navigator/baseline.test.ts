// The baseline is a typical merchant's rules (issue 15 item 6), checked rule by rule on a
// hand-made network: keep-it under the ceiling, courier pickup to the nearest returns
// centre, instant refund for trusted customers else on receipt, the wish honoured, the
// per-grade disposition rule.
import { describe, expect, it } from 'vitest'
import { baselineCandidate } from '../../../server/navigator/baseline.js'
import { buildLineContext } from '../../../server/navigator/line-context.js'
import { NavigatorState } from '../../../server/navigator/state.js'
import { KM_PER_DEGREE, T0, TEST_POLICY, baseFile, network, node, request } from './fixtures.js'

const base = baseFile()
const caps = ['inspect', 'restock', 'outlet', 'liquidate', 'recycle', 'ship_exchange'] as const
const net = network({
  nodes: [
    node('WH', 5, [...caps], { central: true }),
    node('RC-FAR', 3, [...caps], { kind: 'returns_centre' }),
    node('RC-NEAR', 1, [...caps], { kind: 'returns_centre' }),
    node('REP', 2, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', repairBenchHoursPerDay: 8, repairProductTypes: ['phone'] }),
    node('VN', 4, ['inspect', 'rtv'], { kind: 'vendor', vendorId: 'V1' }),
  ],
  inboundModes: [
    ...base.inboundModes,
    { ...base.inboundModes[0], mode: 'self_ship', base: 5 },
  ],
  vendors: [{ id: 'V1', name: 'V', nodeId: 'VN', rtvWindowDays: 90, quotaUnitsPerPeriod: 100, periodDays: 30, creditShareOfCost: 0.5, acceptsGrades: ['D'], adminCostPerUnit: 4 }],
  categories: { ...base.categories, general: { ...base.categories.general, gradePriors: { unopened: { A: 1, B: 0, C: 0, D: 0 }, like_new: { A: 0, B: 1, C: 0, D: 0 }, used: { A: 0, B: 1, C: 0, D: 0 }, damaged: { A: 0, B: 0, C: 0, D: 1 }, defective: { A: 0, B: 0, C: 0, D: 1 } } } },
  catalog: [
    { sku: 'SH', name: 'Shirt', category: 'general', productType: 'shirt', price: 200, cost: 80, weightKg: 0.5, repairable: false, lifecycle: 'current', vendorId: 'V1' },
    { sku: 'PH', name: 'Phone', category: 'general', productType: 'phone', price: 3000, cost: 1800, weightKg: 0.5, repairable: true, lifecycle: 'current' },
  ],
})

function baseline(line: Parameters<typeof request>[0][number], trusted = false, state = new NavigatorState(net)) {
  const r = request([line], { trusted })
  const ctx = buildLineContext({ request: r, lineIndex: 0 }, state, net, T0.getTime())
  return { c: baselineCandidate(ctx, state, net, TEST_POLICY), id: (i: number) => (i < 0 ? null : net.nodes[i].id) }
}

describe('the baseline: a typical merchant', () => {
  it('keeps it only under the keep-it ceiling, for a refund request', () => {
    expect(baseline({ sku: 'SH', unitPrice: 50 }).c.resolution).toBe('keep_it')
    expect(baseline({ sku: 'SH', unitPrice: 50, wants: 'store_credit' }).c.resolution).toBe('store_credit')
    expect(baseline({ sku: 'SH', unitPrice: 200 }).c.resolution).toBe('refund')
  })
  it('courier pickup to the nearest returns centre; refund on receipt, instant for trusted customers', () => {
    const { c, id } = baseline({ sku: 'SH', unitPrice: 200 })
    expect([c.inboundMode, id(c.receivingNode)]).toEqual(['courier_pickup', 'RC-NEAR'])
    // handover 4 h + 1° at 50 km/h, then refund processing 2 h
    expect(c.waitHours).toBeCloseTo(4 + KM_PER_DEGREE / 50 + 2, 6)
    expect(baseline({ sku: 'SH', unitPrice: 200 }, true).c.waitHours).toBeCloseTo(4 + 2, 6)
  })
  it('honours the wish: store credit as credit, exchange from the nearest node with stock, repair at a repair node', () => {
    expect(baseline({ sku: 'SH', unitPrice: 200, wants: 'store_credit' }).c.parts.refundOutflow).toBeCloseTo(200 * (1 - TEST_POLICY.storeCreditBreakage), 6)
    const state = new NavigatorState(net)
    state.setOnHand(net.nodeIndex.get('RC-FAR')!, 'SH', 3)
    state.setOnHand(net.nodeIndex.get('WH')!, 'SH', 3)
    const ex = baseline({ sku: 'SH', unitPrice: 200, wants: 'exchange', exchangeSku: 'SH' }, false, state)
    expect([ex.c.resolution, ex.id(ex.c.exchangeSource)]).toEqual(['exchange', 'RC-FAR'])
    expect(baseline({ sku: 'SH', unitPrice: 200, wants: 'exchange', exchangeSku: 'SH' }).c.resolution).toBe('refund') // no stock anywhere
    const rep = baseline({ sku: 'PH', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'repair' })
    expect([rep.c.resolution, rep.id(rep.c.receivingNode)]).toEqual(['repair', 'REP'])
    expect(baseline({ sku: 'SH', unitPrice: 200, reason: 'defective', condition: 'defective', wants: 'repair' }).c.resolution).toBe('refund')
  })
  it('restocks A, sends B/C to outlet or open-box, D back to the vendor where terms exist, else liquidates', () => {
    expect(baseline({ sku: 'SH', unitPrice: 200, condition: 'unopened' }).c.plan).toEqual(['restock_new', null, null, null])
    expect(baseline({ sku: 'SH', unitPrice: 200, condition: 'used' }).c.plan).toEqual([null, 'outlet_promotion', null, null])
    expect(baseline({ sku: 'SH', unitPrice: 200, condition: 'damaged', reason: 'damaged_in_transit' }).c.plan).toEqual([null, null, null, 'return_to_vendor'])
    expect(baseline({ sku: 'PH', unitPrice: 3000, condition: 'damaged', reason: 'damaged_in_transit' }).c.plan).toEqual([null, null, null, 'liquidate'])
  })
})
