// One hand-computed case per behaviour the mission names (issue 3), on tiny networks
// where every number can be checked on paper (see fixtures.ts for the geometry).
import { describe, expect, it } from 'vitest'
import { Decision } from '../../../server/contracts/decision.js'
import type { Event } from '../../../server/contracts/events.js'
import { Navigator } from '../../../server/navigator/engine.js'
import {
  KM_PER_DEGREE, T0, baseFile, network, node, request, sequentialIds, weightsVersion,
} from './fixtures.js'

const W = weightsVersion()

function navigatorOn(net: ReturnType<typeof network>) {
  const ids = sequentialIds()
  return new Navigator(net, ids.newId, ids.newToken)
}

function valid(d: Decision): Decision {
  const parsed = Decision.safeParse(d)
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true)
  return d
}

function stock(nodeId: string, sku: string, onHand: number): Event {
  return { eventId: `inv-${nodeId}-${sku}`, type: 'inventory.snapshot', occurredAt: T0.toISOString(), nodeId, items: [{ sku, onHand }] }
}

describe('repairable defective item', () => {
  const net = network({
    nodes: [node('R', 1, ['inspect', 'repair', 'liquidate'], {
      kind: 'repair_centre', central: true, repairBenchHoursPerDay: 8, repairProductTypes: ['phone'],
    })],
    catalog: [{ sku: 'PH-1', name: 'Phone', category: 'electronics', productType: 'phone', price: 3000, cost: 1800, weightKg: 0.5, repairable: true, lifecycle: 'current' }],
  })

  it('is repaired, with the parts list and a technician task', () => {
    const nav = navigatorOn(net)
    const [d] = nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'repair' }]), T0, W)
    valid(d)
    expect(d.resolution).toBe('repair')
    expect(d.receivingNodeId).toBe('R')
    // inbound 10 + receive/inspect 15 + parts 200 + 1 h × ¥50 + return shipment 8
    expect(d.totals.netCost).toBe(283)
    // pickup 4 h + 1° transit + dock 10 + (turnaround 10 + labour 1) + pick/pack 2 + 1° back
    expect(d.totals.waitHours).toBeCloseTo(4 + 10 + 11 + 2 + 2 * KM_PER_DEGREE / 50, 2)
    const repair = d.tasks.find((t) => t.role === 'repair')
    expect(repair?.action).toBe('repair')
    expect(repair?.nodeId).toBe('R')
    expect(repair?.detail?.parts).toEqual([{ id: 'P-SCREEN', name: 'screen', qty: 1 }])
    expect(d.reservations?.bench).toEqual({ nodeId: 'R', day: nav.state.localDay(T0.getTime()), hours: 1 })
    // Within 7 days of sale 三包 lets the customer choose: plans giving less than the repair asked are rejected.
    expect(d.entitlement).toEqual({ basis: 'cn_sanbao_7d', allowed: ['refund', 'exchange', 'repair'] })
    expect(d.wishHonoured).toBe(true)
    expect(d.rejections.entitlement).toBeGreaterThan(0)
    expect(d.alternatives).toEqual([])
  })

  it('a defective phone whose buyer asked for a refund gets the refund within 7 days (三包), never a repair without consent', () => {
    const nav = navigatorOn(net)
    const [d] = nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }]), T0, W)
    valid(d)
    expect(d.resolution).toBe('refund')
    expect(d).toMatchObject({ wish: 'refund', wishHonoured: true, entitlement: { basis: 'cn_sanbao_7d' } })
    // The repair is only offered: the refund stands unless the customer accepts.
    expect(d.offers?.map((o) => o.resolution)).toEqual(['repair'])
    expect(d.rejections.entitlement).toBeGreaterThan(0)
    // Days 8–15: exchange or repair only — the refund is no longer owed, so it is honoured and the repair offered.
    const later = request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }])
    const [d10] = nav.decideRequest({ ...later, deliveredAt: new Date(T0.getTime() - 10 * 86_400_000).toISOString() }, T0, W)
    valid(d10)
    expect(d10.entitlement).toEqual({ basis: 'cn_sanbao_15d', allowed: ['exchange', 'repair'] })
    expect(d10.resolution).toBe('refund')
    expect(d10.wishHonoured).toBe(true)
    const repairOffer = d10.offers!.find((o) => o.resolution === 'repair')!
    // Saving: the refund path (3000 − 300 recovered + 27) less the repair path (283); a quarter of it goes to the customer.
    expect(repairOffer.incentive).toBeCloseTo(0.25 * (10 + 15 + 2 + 3000 - 300 - 283), 2)
    expect(repairOffer.expectedValue).toBeCloseTo(0.3 * (2727 - 283 - repairOffer.incentive), 1)
    expect(Date.parse(repairOffer.expiresAt) - T0.getTime()).toBe(48 * 3_600_000)
  })

  it('after two failed repairs within the guarantee, 三包 owes an exchange or a refund', () => {
    const nav = navigatorOn(net)
    const r = request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund', priorRepairs: 2 }])
    const [d] = nav.decideRequest({ ...r, deliveredAt: new Date(T0.getTime() - 200 * 86_400_000).toISOString() }, T0, weightsVersion({}, { returnWindowDays: 7 }))
    expect(d.entitlement).toEqual({ basis: 'cn_sanbao_guarantee+cn_sanbao_failed_repairs', allowed: ['refund', 'exchange', 'repair'] })
    expect(d.resolution).toBe('refund')
  })

  it('stops repairing once the bench hours of the day are taken', () => {
    const nav = navigatorOn(net)
    const resolutions = Array.from({ length: 9 }, () =>
      nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'repair' }]), T0, W)[0])
    expect(resolutions.slice(0, 8).every((d) => d.resolution === 'repair')).toBe(true)
    // The wish cannot be met: within 7 days 三包 lets the customer have a refund instead.
    expect(resolutions[8].resolution).toBe('refund')
    expect(resolutions[8].flags).toContain('wish_unavailable')
    expect(resolutions[8].rejections.repair_capacity).toBeGreaterThan(0)
  })
})

describe('exchange', () => {
  const caps = ['inspect', 'restock', 'liquidate', 'recycle', 'ship_exchange'] as const
  const net = network({
    nodes: [node('W1', 1, [...caps], { central: true }), node('W2', 3, [...caps])],
    outbound: { base: 8, perKg: 0, perKm: 0.01, sortHours: 0, speedKmh: 50, co2PerKgKm: 0, co2PerStopKg: 0 },
  })
  const wantExchange = () => request([{ reason: 'size_too_small', wants: 'exchange', exchangeSku: 'SKU-1' }])

  it('ships from the nearest node with stock, then the next-nearest once that stock is reserved', () => {
    const nav = navigatorOn(net)
    nav.applyEvent(stock('W1', 'SKU-1', 1), T0, W)
    nav.applyEvent({ ...stock('W2', 'SKU-1', 5), eventId: 'inv-2' }, T0, W)
    const first = valid(nav.decideRequest(wantExchange(), T0, W)[0])
    expect(first.resolution).toBe('exchange')
    expect(first.exchangeSourceNodeId).toBe('W1')
    // pick/pack 2 h + 1° at 50 km/h; cost 8 + 0.01/km
    expect(first.totals.waitHours).toBeCloseTo(2 + KM_PER_DEGREE / 50, 2)
    expect(first.tasks.some((t) => t.action === 'ship_exchange' && t.nodeId === 'W1')).toBe(true)
    expect(nav.state.reserved(net.nodeIndex.get('W1')!, 'SKU-1')).toBe(1)

    const second = valid(nav.decideRequest(wantExchange(), T0, W)[0])
    expect(second.exchangeSourceNodeId).toBe('W2')
    expect(second.rejections.no_stock).toBeGreaterThan(0)

    // Cancelling the first return gives its unit back: the next exchange ships from W1 again.
    nav.applyEvent({ eventId: 'c1', type: 'return.status', occurredAt: T0.toISOString(), rmaId: first.rmaId, status: 'cancelled' }, T0, W)
    expect(nav.state.reserved(net.nodeIndex.get('W1')!, 'SKU-1')).toBe(0)
    expect(nav.decideRequest(wantExchange(), T0, W)[0].exchangeSourceNodeId).toBe('W1')
  })

  it('re-decides an open exchange when its reserved stock disappears', () => {
    const nav = navigatorOn(net)
    nav.applyEvent(stock('W1', 'SKU-1', 1), T0, W)
    nav.applyEvent({ ...stock('W2', 'SKU-1', 5), eventId: 'inv-2' }, T0, W)
    const first = nav.decideRequest(wantExchange(), T0, W)[0]
    expect(first.exchangeSourceNodeId).toBe('W1')
    const redecided = nav.applyEvent({ eventId: 'adj', type: 'inventory.adjusted', occurredAt: T0.toISOString(), nodeId: 'W1', sku: 'SKU-1', delta: -1 }, T0, W)
    expect(redecided).toHaveLength(1)
    valid(redecided[0])
    expect(redecided[0].supersedes).toBe(first.decisionId)
    expect(redecided[0].trigger).toBe('capacity_lost')
    expect(redecided[0].trackingToken).toBe(first.trackingToken)
    expect(redecided[0].exchangeSourceNodeId).toBe('W2')
    expect(nav.state.reserved(net.nodeIndex.get('W1')!, 'SKU-1')).toBe(0)
    expect(nav.state.reserved(net.nodeIndex.get('W2')!, 'SKU-1')).toBe(1)
  })

  it('a stock drop re-plans the holders together: the goodwill exchange gives up its unit, not the entitled one', () => {
    const nav = navigatorOn(net)
    nav.applyEvent(stock('W1', 'SKU-1', 2), T0, W)
    // A size exchange (goodwill: no right to it) first, then a faulty item's exchange
    // (a right under CPL art. 24). One unit goes missing and there is none elsewhere.
    const goodwill = nav.decideRequest(wantExchange(), T0, W)[0]
    const entitled = nav.decideRequest(request([{ reason: 'defective', condition: 'defective', wants: 'exchange', exchangeSku: 'SKU-1' }]), T0, W)[0]
    expect([goodwill.exchangeSourceNodeId, entitled.exchangeSourceNodeId]).toEqual(['W1', 'W1'])
    expect(entitled.entitlement?.allowed).toContain('exchange')
    const redecided = nav.applyEvent({ eventId: 'adj-2', type: 'inventory.adjusted', occurredAt: T0.toISOString(), nodeId: 'W1', sku: 'SKU-1', delta: -1 }, T0, W)
    expect(redecided.map((d) => d.supersedes)).toEqual([goodwill.decisionId])
    expect(redecided[0].resolution).not.toBe('exchange')
    expect(nav.openDecisions(entitled.rmaId)[0].decisionId).toBe(entitled.decisionId)
    expect(nav.state.reserved(net.nodeIndex.get('W1')!, 'SKU-1')).toBe(1)
  })

  it('swaps at the door when the receiving node is in the same city and the customer is not trusted for advance exchange', () => {
    const near = network({
      nodes: [node('W1', 0.1, [...caps], { central: true })],
      swapAtDoor: { maxKm: 50, surcharge: 5, leadHours: 2 },
      rules: { ...baseFile().rules, advanceExchangeTrustedOnly: true },
    })
    const nav = navigatorOn(near)
    nav.applyEvent(stock('W1', 'SKU-1', 3), T0, W)
    const d = valid(nav.decideRequest(wantExchange(), T0, W)[0])
    expect(d.swapAtDoor).toBe(true)
    expect(d.exchangeSourceNodeId).toBe('W1')
    // pick/pack 2 + lead 2 + 0.1° at 50 km/h; standard exchange would wait for the return to arrive.
    expect(d.totals.waitHours).toBeCloseTo(4 + 0.1 * KM_PER_DEGREE / 50, 2)
    expect(d.totals.netCost).toBe(10 + 15 + 5 + 50 - 100 * 0.9 + 8) // pickup + handling + surcharge + COGS − restock value + restock cost
    expect(d.alternatives.some((a) => a.resolution === 'exchange' && !a.swapAtDoor)).toBe(true)
  })
})

describe('low-value item', () => {
  const net = network()
  it('is refunded without a return (keep it)', () => {
    const nav = navigatorOn(net)
    const d = valid(nav.decideRequest(request([{ sku: 'CHEAP', unitPrice: 30 }]), T0, W)[0])
    expect(d.resolution).toBe('keep_it')
    expect(d.inboundMode).toBe('none')
    expect(d.receivingNodeId).toBeNull()
    expect(d.totals.netCost).toBe(30)
    expect(d.totals.score).toBe(30 + 2 + 0.02 * 30) // refund + 2 h processing + risk
    expect(d.tasks.find((t) => t.role === 'finance')?.detail?.amount).toBe(30)
    expect(d.flags).toContain('unknown_sku')
  })
  it('is not kept above the keep-it ceiling', () => {
    const d = navigatorOn(net).decideRequest(request([{ sku: 'DEAR', unitPrice: 500 }]), T0, W)[0]
    expect(d.resolution).toBe('refund')
    expect(d.rejections.keep_it_value_ceiling).toBe(1)
  })
})

describe('high-value item', () => {
  const net = network({
    nodes: [
      node('W1', 1, ['inspect', 'restock', 'liquidate'], { central: true }),
      node('D', 0.05, [], { kind: 'drop_off' }),
    ],
    inboundModes: [
      { ...baseFile().inboundModes[0], base: 20, handoverHours: 4, riskFactor: 0.2 },
      { ...baseFile().inboundModes[0], mode: 'drop_off', base: 8, handoverHours: 24, riskFactor: 0.6, serviceRadiusKm: 50, coverageKinds: ['drop_off'] },
    ],
    categories: { ...baseFile().categories, general: { ...baseFile().categories.general, decayPerWeek: 0.01 } },
  })
  const w = weightsVersion({ wait: 0.2 })

  it('is refunded only after inspection, a cheap one on receipt: each timing carries its own exposure', () => {
    const nav = navigatorOn(net)
    const dear = valid(nav.decideRequest(request([{ sku: 'X1', unitPrice: 5000 }]), T0, w)[0])
    const cheap = valid(nav.decideRequest(request([{ sku: 'X2', unitPrice: 100 }]), T0, w)[0])
    // Paid after inspection nothing is exposed, so the way in is chosen on cost.
    expect(dear).toMatchObject({ resolution: 'refund', refundTiming: 'inspection', inboundMode: 'drop_off' })
    expect(dear.breakdown.risk).toBe(0)
    expect(cheap).toMatchObject({ resolution: 'refund', refundTiming: 'receipt' })
    // priority = value × decay per week / 168 h
    expect(dear.priority).toBeCloseTo(5000 * 0.01 / 168, 4)
    expect(cheap.priority).toBeCloseTo(100 * 0.01 / 168, 4)
    // On receipt the exposure is the first scan's share × receiptExposureShare:
    // 0.02 × 5000 × 0.2 × 0.5 = 10 by courier, 0.02 × 5000 × 0.6 × 0.5 = 30 from a drop-off point.
    const byCourier = dear.alternatives.find((a) => a.inboundMode === 'courier_pickup' && a.refundTiming === 'receipt')!
    expect(byCourier.breakdown.risk).toBeCloseTo(10, 2)
    const byDropOff = dear.alternatives.find((a) => a.inboundMode === 'drop_off' && a.refundTiming === 'receipt')!
    expect(byDropOff.breakdown.risk).toBeCloseTo(30, 2)
    // The merchant's rule (instantRefundTrustedOnly) keeps the first scan for trusted customers.
    expect([dear, cheap].flatMap((d) => [d, ...d.alternatives]).some((a) => a.refundTiming === 'first_scan')).toBe(false)
  })

  it('is refunded at the first scan for a trusted customer when the wait is worth more than the exposure', () => {
    const nav = navigatorOn(net)
    const cheap = valid(nav.decideRequest(request([{ sku: 'X2', unitPrice: 100 }], { trusted: true }), T0, w)[0])
    expect(cheap).toMatchObject({ resolution: 'refund', refundTiming: 'first_scan', inboundMode: 'drop_off' })
    expect(cheap.tasks.find((t) => t.action === 'refund')!.detail).toMatchObject({ on: 'first_scan' })
    expect(cheap.steps.find((st) => st.kind === 'refund')!.etaHours).toBe(24 + 2) // drop-off handover + processing
    // 0.02 × trusted 0.5 × 100 × station scan 0.6
    expect(cheap.breakdown.risk).toBeCloseTo(0.6, 2)
    // At ¥0 per hour of waiting the exposure decides: after inspection.
    const patient = valid(nav.decideRequest(request([{ sku: 'X2', unitPrice: 100 }], { trusted: true }), T0, weightsVersion({ wait: 0 }))[0])
    expect(patient.refundTiming).toBe('inspection')
  })
})

describe('intact outdated-style apparel', () => {
  const net = network({
    nodes: [node('W1', 1, ['inspect', 'restock', 'outlet', 'liquidate', 'recycle'], { central: true })],
    catalog: [
      { sku: 'TEE-OLD', name: 'Tee', category: 'apparel', productType: 'tshirt', price: 200, weightKg: 0.3, repairable: false, lifecycle: 'outdated' },
      { sku: 'TEE-NEW', name: 'Tee', category: 'apparel', productType: 'tshirt', price: 200, weightKg: 0.3, repairable: false, lifecycle: 'current' },
    ],
  })
  it('goes to the outlet channel; the current style is restocked', () => {
    const nav = navigatorOn(net)
    const old = valid(nav.decideRequest(request([{ sku: 'TEE-OLD', unitPrice: 200 }]), T0, W)[0])
    const fresh = valid(nav.decideRequest(request([{ sku: 'TEE-NEW', unitPrice: 200 }]), T0, W)[0])
    expect(old.disposition).toBe('outlet_promotion')
    expect(old.totals.recovery).toBe(90) // 0.45 × 200 beats 0.9 × 0.4 × 200 = 72
    expect(fresh.disposition).toBe('restock_new')
    expect(fresh.totals.recovery).toBe(180)
  })
  it('re-decides the disposition with the real grade after inspection and learns the grade', () => {
    const nav = navigatorOn(net)
    const d = nav.decideRequest(request([{ sku: 'TEE-OLD', unitPrice: 200 }]), T0, W)[0]
    const later = new Date(T0.getTime() + 20 * 3_600_000)
    const [re] = nav.applyEvent({ eventId: 'i1', type: 'return.inspected', occurredAt: later.toISOString(), rmaId: d.rmaId, lineId: 'L1', sku: 'TEE-OLD', grade: 'D', nodeId: 'W1' }, later, W)
    valid(re)
    expect(re.supersedes).toBe(d.decisionId)
    expect(re.trigger).toBe('inspected')
    expect(re.trackingToken).toBe(d.trackingToken)
    expect(re.disposition).toBe('liquidate') // D: outlet refuses it; 0.1 × 200 − 2 beats recycling
    expect(re.totals.recovery).toBe(20)
    expect(re.tasks.some((t) => t.action === 'send_to_liquidation')).toBe(true)
    expect(nav.state.gradeObservationsOf('apparel', 'changed_mind', 'unopened')).toEqual([0, 0, 0, 1])
    expect(nav.openDecisions(d.rmaId)[0].decisionId).toBe(re.decisionId)
  })
})

describe('defective item with vendor terms', () => {
  const net = network({
    nodes: [
      node('RC', 1, ['inspect', 'rtv', 'liquidate', 'recycle'], { kind: 'returns_centre', central: true }),
      node('VN', 5, ['inspect', 'rtv'], { kind: 'vendor', vendorId: 'V1', handling: { receive: 0, inspect: 0 } }),
    ],
    vendors: [{ id: 'V1', name: 'Vendor', nodeId: 'VN', rtvWindowDays: 90, quotaUnitsPerPeriod: 2, periodDays: 30, creditShareOfCost: 0.5, acceptsGrades: ['A', 'B', 'C', 'D'], adminCostPerUnit: 4 }],
    catalog: [{ sku: 'GADGET', name: 'Gadget', category: 'electronics', productType: 'gadget', price: 1000, cost: 600, weightKg: 1, repairable: false, vendorId: 'V1', lifecycle: 'current' }],
  })
  const defective = (at = T0) => request([{ sku: 'GADGET', unitPrice: 1000, reason: 'defective', condition: 'defective' }], {}, at)

  it('goes back to the vendor until the quota is used, then to liquidation', () => {
    const nav = navigatorOn(net)
    const [a] = nav.decideRequest(defective(), T0, W)
    const [b] = nav.decideRequest(defective(), T0, W)
    const [c] = nav.decideRequest(defective(), T0, W)
    for (const d of [a, b, c]) valid(d)
    expect(a.disposition).toBe('return_to_vendor')
    expect(b.disposition).toBe('return_to_vendor')
    // credit 0.5 × cost 600
    expect(a.totals.recovery).toBe(300)
    expect(c.disposition).toBe('liquidate')
    expect(c.receivingNodeId).toBe('RC')
    expect(c.rejections.no_channel_for_grade).toBeGreaterThan(0) // the vendor node cannot take it any more
    // Next quota period: back to the vendor.
    const nextMonth = new Date(T0.getTime() + 31 * 86_400_000)
    expect(nav.decideRequest(defective(nextMonth), nextMonth, W)[0].disposition).toBe('return_to_vendor')
  })
})

describe('policy', () => {
  it('a non-returnable category is still decided, flagged for review', () => {
    const nav = navigatorOn(network())
    const d = valid(nav.decideRequest(request([{ sku: 'X', unitPrice: 500 }]), T0, weightsVersion({}, { nonReturnableCategories: ['general'] }))[0])
    expect(d.flags).toContain('needs_review')
    expect(d.rejections.non_returnable).toBeGreaterThan(0)
  })
  it('a merchant-fault return ignores the non-returnable rule', () => {
    const nav = navigatorOn(network())
    const d = nav.decideRequest(request([{ sku: 'X', unitPrice: 500, reason: 'wrong_item' }]), T0, weightsVersion({}, { nonReturnableCategories: ['general'] }))[0]
    expect(d.flags ?? []).not.toContain('needs_review')
  })
  it('the baseline (a typical merchant) refunds a refund request and restocks grade A', () => {
    const nav = navigatorOn(network())
    const d = nav.decideRequest(request([{ sku: 'X', unitPrice: 500 }]), T0, W)[0]
    expect(d.baseline).toMatchObject({ resolution: 'refund', receivingNodeId: 'W1', disposition: 'restock_new' })
  })
})

describe('capacity and lifecycle events', () => {
  const repairNet = network({
    nodes: [node('R', 1, ['inspect', 'repair', 'liquidate'], {
      kind: 'repair_centre', central: true, repairBenchHoursPerDay: 3, repairProductTypes: ['phone'],
    })],
    catalog: [{ sku: 'PH-1', name: 'Phone', category: 'electronics', productType: 'phone', price: 3000, cost: 1800, weightKg: 0.5, repairable: true, lifecycle: 'current' }],
  })
  const broken = () => request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'repair' }])

  it('cutting bench hours re-decides the newest repairs that no longer fit', () => {
    const nav = navigatorOn(repairNet)
    const ds = [0, 1, 2].map(() => nav.decideRequest(broken(), T0, W)[0])
    expect(ds.every((d) => d.resolution === 'repair')).toBe(true)
    const redecided = nav.setRepairCapacity('R', 1, T0, W)
    expect(redecided.map((d) => d.supersedes)).toEqual([ds[2].decisionId, ds[1].decisionId])
    for (const d of redecided) {
      valid(d)
      expect(d.trigger).toBe('capacity_lost')
      expect(d.resolution).not.toBe('repair')
      expect(d.rejections.repair_capacity).toBeGreaterThan(0)
    }
    expect(nav.state.benchUsed(0, nav.state.localDay(T0.getTime()))).toBe(1)
  })

  it('a shipped replacement no longer holds stock', () => {
    const net = network()
    const nav = navigatorOn(net)
    nav.applyEvent(stock('W1', 'SKU-1', 2), T0, W)
    const d = nav.decideRequest(request([{ wants: 'exchange', reason: 'size_too_large' }]), T0, W)[0]
    expect(nav.state.reserved(0, 'SKU-1')).toBe(1)
    nav.applyEvent({ eventId: 's', type: 'return.status', occurredAt: T0.toISOString(), rmaId: d.rmaId, lineId: 'L1', status: 'exchange_shipped' }, T0, W)
    expect(nav.state.reserved(0, 'SKU-1')).toBe(0)
    expect(nav.openDecisions(d.rmaId)).toHaveLength(1) // still open until closed
  })

  it('a change-of-mind return past the window needs review; a defective one does not', () => {
    const nav = navigatorOn(network())
    const placed = new Date(T0.getTime() - 40 * 86_400_000)
    const late = request([{ sku: 'X', unitPrice: 500 }])
    nav.applyEvent({ eventId: 'o', type: 'order.placed', occurredAt: placed.toISOString(), orderId: late.orderId, customer: { id: 'C', lat: 0, lon: 0 }, lines: [{ sku: 'X', qty: 1, unitPrice: 500 }] }, T0, W)
    const d = nav.decideRequest(late, T0, W)[0]
    expect(d.flags).toContain('needs_review')
    expect(d.rejections.return_window).toBeGreaterThan(0)
    const defective = { ...late, rmaId: 'RMA-late-2', lines: [{ ...late.lines[0], reason: 'defective' as const, condition: 'defective' as const }] }
    expect(nav.decideRequest(defective, T0, W)[0].flags ?? []).not.toContain('needs_review')
  })
})
