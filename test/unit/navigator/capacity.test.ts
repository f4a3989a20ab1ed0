// Shared capacity (issue 17): every plan books what it uses in a slot, and no slot is
// ever over-booked, whatever the stream: requests, inspections (re-decisions), request
// corrections, cancels, parts stock moving and capacity cuts, checked after every event.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Event, ReturnRequested } from '../../../server/contracts/events.js'
import { bookedSlots, capacityByDay, dayDate, firstMisfit, overBooked, priceOf, resourceKey, usesOfReservations } from '../../../server/navigator/capacity.js'
import { enumerateCandidates } from '../../../server/navigator/candidates.js'
import { publishBidPrices } from '../../../server/navigator/bid-prices.js'
import { buildLineContext } from '../../../server/navigator/line-context.js'
import { PlanFit, plannedReservations } from '../../../server/navigator/plan-uses.js'
import { buildCapacityLp, lineOptions, ownObjective, pricesFromDuals, routeOf, type LpClass } from '../../../server/navigator/capacity-lp.js'
import { replayWithinRights, rightsScoreLowerBound } from '../../bench/rights-bound.js'
import { greedyReplay, hindsightBatch } from '../../../server/navigator/capacity-efficiency.js'
import { solveLp } from '../../../pipelines/highs-solver.js'
import { solveBidPrices } from '../../../pipelines/price-capacity.js'
import { FALLBACK_PENALTY } from '../../../server/navigator/capacity-lp.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { loadNetworkOrThrow, type Network } from '../../../server/navigator/network.js'

const W = DEFAULT_WEIGHTS_VERSION
const START = new Date('2026-11-02T01:00:00Z')
const GRADES = ['A', 'B', 'C', 'D'] as const

/** The demo network made scarce: a small bench, few inspections, tight outlet and vendor quotas. */
function scarceNetwork(bench = 6): Network {
  const file = JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8'))
  for (const n of file.nodes) {
    if (n.id === 'SZ-RP') { n.repairBenchHoursPerDay = bench; n.inspectionsPerDay = 6 }
    if (n.inspectionsPerDay) n.inspectionsPerDay = Math.min(n.inspectionsPerDay, 8)
    if ((n.capabilities as string[]).includes('outlet')) n.outletUnitsPerDay = 2
  }
  for (const v of file.vendors) v.quotaUnitsPerPeriod = 3
  return loadNetworkOrThrow(file)
}

function freshNavigator(net: Network): Navigator {
  let n = 0
  const nav = new Navigator(net, () => `d-${++n}`, () => `tok-${n}-${'x'.repeat(22)}`)
  for (const snap of demoInventorySnapshots(net, START)) nav.applyEvent(snap, START, W)
  // Parts are stocked, and scarce: two of each part at the repair centre.
  const parts = [...new Set(Object.values(net.file.repair.productTypes).flatMap((t) => t.parts.map((p) => p.id)))]
  nav.applyEvent({
    eventId: 'parts', type: 'inventory.snapshot', occurredAt: START.toISOString(), nodeId: 'SZ-RP',
    items: parts.map((id) => ({ sku: id, partId: id, onHand: 2 })),
  } as Event, START, W)
  return nav
}

const repairables = (net: Network) => net.file.catalog.filter((c) => c.repairable)

/** A repairable item the navigator repairs when the bench is free (the scenarios need one). */
function repairedItem(net: Network) {
  for (const item of repairables(net)) {
    const nav = freshNavigator(net)
    const [d] = nav.applyEvent(repairRequest('probe', item.sku, item.price ?? 500), START, W)
    if (d.resolution === 'repair') return item
  }
  throw new Error('no item is repaired on the demo network')
}

function repairRequest(id: string, sku: string, unitPrice: number): ReturnRequested {
  return {
    eventId: id, type: 'return.requested', occurredAt: START.toISOString(), rmaId: id, orderId: id,
    customer: { id: 'C1', lat: 22.54, lon: 114.06, trusted: true }, channel: 'app',
    lines: [{ lineId: 'l1', sku, qty: 1, unitPrice, reason: 'defective', condition: 'defective', wants: 'repair' }],
  }
}

type Op =
  | { op: 'request'; item: number; wants: 'repair' | 'refund' | 'exchange'; defective: boolean; city: number }
  | { op: 'inspect'; pick: number; grade: number }
  | { op: 'cancel'; pick: number }
  | { op: 'correct'; pick: number }
  | { op: 'cut'; node: number; bench: number; inspections: number; outlet: number; rtv: number }
  | { op: 'parts'; delta: number }

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('request' as const), item: fc.nat(1000), wants: fc.constantFrom('repair' as const, 'refund' as const, 'exchange' as const), defective: fc.boolean(), city: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('inspect' as const), pick: fc.nat(1000), grade: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('correct' as const), pick: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cut' as const), node: fc.nat(6), bench: fc.nat(8), inspections: fc.nat(8), outlet: fc.nat(3), rtv: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('parts' as const), delta: fc.integer({ min: -3, max: 2 }).filter((d) => d !== 0) }) },
)

const CITIES = [[22.54, 114.06], [31.23, 121.47], [39.9, 116.4], [23.13, 113.26], [30.57, 104.07], [30.27, 120.15]]

function run(ops: Op[]): void {
  const net = scarceNetwork()
  const nav = freshNavigator(net)
  const items = repairables(net)
  const open: ReturnRequested[] = []
  let t = START.getTime()
  let k = 0
  for (const o of ops) {
    t += 20 * 60_000
    const now = new Date(t)
    const at = now.toISOString()
    switch (o.op) {
      case 'request': {
        const item = items[o.item % items.length]
        const [lat, lon] = CITIES[o.city % CITIES.length]
        const r: ReturnRequested = {
          eventId: `e${++k}`, type: 'return.requested', occurredAt: at, rmaId: `R${k}`, orderId: `O${k}`,
          customer: { id: `C${k}`, lat, lon, trusted: true }, channel: 'app',
          lines: [{
            lineId: 'l1', sku: item.sku, qty: 1, unitPrice: item.price ?? 500,
            reason: o.defective ? 'defective' : 'changed_mind', condition: o.defective ? 'defective' : 'like_new', wants: o.wants,
            ...(o.wants === 'exchange' ? { exchangeSku: item.sku } : {}),
          }],
        }
        nav.applyEvent(r, now, W)
        open.push(r)
        break
      }
      case 'inspect': case 'cancel': case 'correct': {
        if (!open.length) break
        const r = open[o.pick % open.length]
        const d = nav.openDecisions(r.rmaId)[0]
        if (!d) break
        if (o.op === 'inspect') {
          nav.applyEvent({
            eventId: `e${++k}`, type: 'return.inspected', occurredAt: at, rmaId: r.rmaId, lineId: 'l1', sku: r.lines[0].sku,
            nodeId: d.receivingNodeId ?? 'SZ-RP', grade: GRADES[o.grade],
          } as Event, now, W)
        } else if (o.op === 'cancel') {
          nav.applyEvent({ eventId: `e${++k}`, type: 'return.status', occurredAt: at, rmaId: r.rmaId, status: 'cancelled' } as Event, now, W)
          open.splice(open.indexOf(r), 1)
        } else {
          // The customer corrects the request: the line is decided again, freeing its old plan.
          nav.applyEvent({ ...r, eventId: `e${++k}`, occurredAt: at, lines: [{ ...r.lines[0], wants: 'refund' }] }, now, W)
        }
        break
      }
      case 'cut': {
        const node = ['SZ-RP', 'SH-CW', 'HZ-RC', 'WH-RC', 'GZ-WH', 'VN-HUAXIN', 'BJ-WH'][o.node % 7]
        nav.setCapacity(node, {
          ...(node === 'SZ-RP' ? { repairBenchHoursPerDay: o.bench } : {}),
          inspectionsPerDay: o.inspections, outletUnitsPerDay: o.outlet,
          ...(node.startsWith('VN-') ? { rtvUnitsPerPeriod: o.rtv } : {}),
        }, now, W)
        break
      }
      case 'parts':
        nav.applyEvent({
          eventId: `e${++k}`, type: 'inventory.adjusted', occurredAt: at, nodeId: 'SZ-RP', sku: 'P-SCREEN-PH', partId: 'P-SCREEN-PH', delta: o.delta,
        } as Event, now, W)
        break
    }
    const over = overBooked(nav.state)
    if (over.length) throw new Error(`after ${o.op}: over-booked ${JSON.stringify(over)}`)
  }
  // Cancelling everything gives every slot back: nothing leaks.
  for (const r of open) nav.applyEvent({ eventId: `e${++k}`, type: 'return.status', occurredAt: new Date(t).toISOString(), rmaId: r.rmaId, status: 'cancelled' } as Event, new Date(t), W)
  const left = bookedSlots(nav.state)
  if (left.length) throw new Error(`bookings left after cancelling all: ${JSON.stringify(left)}`)
}

describe('shared capacity', () => {
  it('never over-books any slot after any event of a random stream, and cancelling all frees every slot', () => {
    fc.assert(fc.property(fc.array(arbOp, { minLength: 5, maxLength: 60 }), (ops) => { run(ops) }), { numRuns: 60 })
  })

  it("the enumeration's capacity check rejects a plan exactly when its planned reservations misfit, for the same slot", () => {
    const net = scarceNetwork()
    const nav = freshNavigator(net)
    const misfits: Record<string, number> = {}
    let plans = 0
    // The demo stream, with a repair wish for a repairable item after every other request, so the bench and its parts fill too.
    const items = repairables(net)
    const requests = demoReturnRequests(net, { count: 400, seed: 17, start: START })
      .flatMap((r, k) => (k % 2 ? [r, { ...repairRequest(`rep-${k}`, items[k % items.length].sku, 3000), occurredAt: r.occurredAt }] : [r]))
    for (const r of requests) {
      const now = new Date(r.occurredAt)
      const open = nav.state.recordRequest(r).request
      for (let i = 0; i < r.lines.length; i++) {
        const ctx = buildLineContext({ request: open, lineIndex: i }, nav.state, net, now.getTime())
        const fit = new PlanFit(ctx, nav.state, net)
        // Every plan, whatever it would book (ignoreCapacity): each bench day, stock and quota.
        for (const c of enumerateCandidates(ctx, nav.state, net, W.policy, { ignoreCapacity: true, relaxPolicy: true }).candidates) {
          const m = firstMisfit(nav.state, plannedReservations(c, ctx, nav.state, net))
          const expected = m ? (m.kind === 'bench' ? 'repair_capacity' : `${m.kind}_capacity`) : null
          expect(fit.misfitOf(c)).toBe(expected)
          if (expected) misfits[expected] = (misfits[expected] ?? 0) + 1
          plans++
        }
      }
      nav.decideRequest(r, now, W)
    }
    expect(plans).toBeGreaterThan(10_000)
    expect(Object.keys(misfits).sort()).toEqual(['inspection_capacity', 'outlet_capacity', 'parts_capacity', 'repair_capacity', 'rtv_capacity', 'stock_capacity'])
  })

  it('a repair books its inspection slot, its bench day and its parts', () => {
    const net = scarceNetwork()
    const nav = freshNavigator(net)
    const item = repairedItem(net)
    const [d] = nav.applyEvent(repairRequest('R1', item.sku, item.price ?? 500), START, W)
    expect(d.resolution).toBe('repair')
    expect(d.reservations?.bench?.nodeId).toBe('SZ-RP')
    expect(d.reservations?.inspection?.nodeId).toBe('SZ-RP')
    const parts = net.file.repair.productTypes[item.productType!].parts.map((p) => ({ partId: p.id, qty: 1 }))
    expect(d.reservations?.parts?.items).toEqual(parts)
  })

  it('enforces inspectionsPerDay: with one inspection a day, no two returns share an inspection day at the node', () => {
    const net = scarceNetwork()
    const nav = freshNavigator(net)
    nav.setCapacity('SZ-RP', { inspectionsPerDay: 1 }, START, W)
    const item = repairedItem(net)
    const days = new Map<string, number>()
    for (let i = 0; i < 4; i++) {
      const [d] = nav.applyEvent(repairRequest(`R${i}`, item.sku, item.price ?? 500), START, W)
      const ins = d.reservations?.inspection
      if (ins) days.set(`${ins.nodeId}|${ins.day}`, (days.get(`${ins.nodeId}|${ins.day}`) ?? 0) + 1)
    }
    for (const [key, n] of days) if (key.startsWith('SZ-RP|')) expect(n).toBeLessThanOrEqual(1)
    expect(overBooked(nav.state)).toEqual([])
  })

  it('grade C refurbishment books a bench day with room, never a full one', () => {
    const net = scarceNetwork(2)
    const nav = freshNavigator(net)
    const phone = repairables(net).find((c) => c.productType === 'smartphone')!
    const decided = []
    for (let i = 0; i < 6; i++) {
      const [d] = nav.applyEvent({
        eventId: `r${i}`, type: 'return.requested', occurredAt: START.toISOString(), rmaId: `R${i}`, orderId: `O${i}`,
        customer: { id: 'C1', lat: 22.54, lon: 114.06, trusted: true }, channel: 'app',
        lines: [{ lineId: 'l1', sku: phone.sku, qty: 1, unitPrice: 3000, reason: 'changed_mind', condition: 'used', wants: 'refund' }],
      }, START, W)
      decided.push(d)
    }
    const later = new Date(START.getTime() + 3 * 86_400_000)
    for (const d of decided) {
      nav.applyEvent({ eventId: `i-${d.rmaId}`, type: 'return.inspected', occurredAt: later.toISOString(), rmaId: d.rmaId, lineId: 'l1', sku: phone.sku, nodeId: 'SZ-RP', grade: 'C' } as Event, later, W)
      expect(overBooked(nav.state)).toEqual([])
    }
  })

  it('prices enter every candidate score as the capacity factor', () => {
    const net = scarceNetwork()
    const nav = freshNavigator(net)
    const item = repairedItem(net)
    const req = (id: string) => repairRequest(id, item.sku, item.price ?? 500)
    const [cheap] = nav.applyEvent(req('A'), START, W)
    expect(cheap.breakdown.capacity).toBe(0)
    const day = cheap.reservations!.bench!.day
    // A huge price on every bench day of the repair centre. The customer is entitled to the
    // repair they asked for (a fault within the guarantee), so the repair stays, and its
    // score carries the price of the bench hours it books as the capacity factor.
    for (let k = -2; k < 20; k++) nav.state.bidPrices.set(resourceKey('bench', 'SZ-RP', day + k), 1e6)
    expect(priceOf(nav.state, 'bench', 'SZ-RP', day)).toBe(1e6)
    const [priced] = nav.applyEvent(req('B'), START, W)
    expect(priced.resolution).toBe('repair')
    expect(priced.breakdown.capacity).toBeCloseTo(1e6 * priced.reservations!.bench!.hours, 0)
    const sum = Object.values(priced.breakdown).reduce((a, b) => a + b, 0)
    expect(sum).toBeCloseTo(priced.totals.score, 0)
  })

  it('on a priced bench day, a repair also pays for the hours it leaves too few for any repair', () => {
    const item = repairedItem(scarceNetwork())
    const hours = freshNavigator(scarceNetwork()).applyEvent(repairRequest('H', item.sku, item.price ?? 500), START, W)[0].reservations!.bench!.hours
    // The shortest repair at the demo's repair centre takes 0.75 h: a gap of 0.5 h is lost, one of 1 h is not.
    const capacityTerm = (gap: number) => {
      const nav = freshNavigator(scarceNetwork(hours + gap))
      const day0 = nav.state.localDay(START.getTime())
      for (let k = -2; k < 20; k++) nav.state.bidPrices.set(resourceKey('bench', 'SZ-RP', day0 + k), 100)
      const [d] = nav.applyEvent(repairRequest('P', item.sku, item.price ?? 500), START, W)
      expect(d.resolution).toBe('repair')
      return d.breakdown.capacity
    }
    expect(capacityTerm(0.5)).toBeCloseTo(100 * (hours + 0.5), 0)
    expect(capacityTerm(1)).toBeCloseTo(100 * hours, 0)
  })

  it('with bid prices, a repair takes the cheaper-priced bench day, not the first one with room', () => {
    const net = scarceNetwork(24)
    const nav = freshNavigator(net)
    const item = repairedItem(net)
    const [first] = nav.applyEvent(repairRequest('A', item.sku, item.price ?? 500), START, W)
    const day = first.reservations!.bench!.day
    // The first free day is dear, the next one free of charge.
    nav.state.bidPrices.set(resourceKey('bench', 'SZ-RP', day), 1e4)
    const [next] = nav.applyEvent(repairRequest('B', item.sku, item.price ?? 500), START, W)
    expect(next.resolution).toBe('repair')
    // Same way in and same inspection day: the customer is not sent a slower way to land on a later bench day.
    expect(next.inboundMode).toBe(first.inboundMode)
    expect(next.reservations!.inspection!.day).toBe(first.reservations!.inspection!.day)
    expect(next.reservations!.bench!.day).toBeGreaterThan(day)
    expect(next.breakdown.capacity).toBe(0)
  })

  it("the LP charges each plan exactly what the navigator books for it, slot by slot", () => {
    const net = scarceNetwork()
    const item = repairables(net).find((c) => c.productType === 'smartphone')!
    // A used phone sent back for a refund: its plans may refurbish after inspection, which
    // is booked then, not now. So a plan's own uses hold no bench hours; only its
    // refurbishing twin holds the hours refurbishment is expected to take.
    const req: ReturnRequested = {
      ...repairRequest('U', item.sku, 3000),
      lines: [{ lineId: 'l1', sku: item.sku, qty: 1, unitPrice: 3000, reason: 'changed_mind', condition: 'used', wants: 'refund' }],
    }
    const nav = freshNavigator(net)
    const options = lineOptions({ request: req, lineIndex: 0 }, nav.state, net, W, START.getTime(), 50)
    const [decided] = nav.applyEvent(req, START, W)
    const route = `${decided.resolution}|${decided.inboundMode}|${decided.receivingNodeId ?? '-'}|`
    const chosen = options.find((o) => o.key.startsWith(route) && routeOf(o.key) === o.key)!
    expect(chosen).toBeDefined()
    const asSet = (us: { kind: string; scope: string; slot: string | number; amount: number }[]) =>
      new Set(us.filter((u) => u.amount > 0).map((u) => `${u.kind}|${u.scope}|${u.slot}|${u.amount}`))
    expect(asSet(chosen.uses)).toEqual(asSet(usesOfReservations(decided.reservations)))
    const hours = net.file.repair.productTypes[item.productType!].labourHours
    const lookahead = net.file.rules.benchLookaheadDays
    let twins = 0
    for (const o of options) {
      if (o.key.startsWith('repair|')) continue
      const bench = o.uses.filter((u) => u.kind === 'bench')
      if (routeOf(o.key) === o.key) { expect(bench).toEqual([]); continue }
      // A twin: its route's uses, and P(refurbished grades) × hours from the inspection day,
      // spread by the LP over the look-ahead's days; both booked only on grading.
      twins++
      expect(bench).toHaveLength(1)
      expect(bench[0].amount).toBeGreaterThan(0)
      expect(bench[0].amount).toBeLessThan(hours)
      expect(bench[0].slot).toBe(o.uses.find((u) => u.kind === 'inspection')!.slot)
      expect(o.spreadDays).toBe(lookahead)
      expect(o.graded).toContainEqual(bench[0])
    }
    expect(twins).toBeGreaterThan(0)
  })

  it('with bid prices, a plan counting on refurbishment pays for its expected bench hours, and drops it when they are worth more', () => {
    const net = scarceNetwork(240)
    const item = repairables(net).find((c) => c.productType === 'smartphone')!
    const req: ReturnRequested = {
      ...repairRequest('U', item.sku, 3000),
      lines: [{ lineId: 'l1', sku: item.sku, qty: 1, unitPrice: 3000, reason: 'changed_mind', condition: 'used', wants: 'refund' }],
    }
    const sz = net.nodes.findIndex((n) => n.id === 'SZ-RP')
    const atRepairCentre = (perHour: number) => {
      const state = freshNavigator(net).state
      const day = state.localDay(START.getTime())
      // Every bench day of the next fortnight at the same price (0: none published).
      publishBidPrices(state, new Map(perHour ? Array.from({ length: 14 }, (_, k) => [resourceKey('bench', 'SZ-RP', day + k), perHour] as const) : []))
      const ctx = buildLineContext({ request: req, lineIndex: 0 }, state, net, START.getTime())
      return enumerateCandidates(ctx, state, net, W.policy).candidates.find((c) => c.receivingNode === sz && c.resolution === 'refund')!
    }
    const free = atRepairCentre(0)
    // Grade C is refurbished on the bench (the demo network's open-box channel needs it).
    const C = 2
    expect(free.recourseBenchHours).toBeGreaterThan(0)
    expect(free.plan![C]).toBe('open_box_refurbish')
    expect(free.capacity).toBe(0)
    // A cheap hour: the same plan, and its capacity term is the hours at that price.
    const cheap = atRepairCentre(1)
    expect(cheap.plan).toEqual(free.plan)
    expect(cheap.capacity).toBeCloseTo(free.recourseBenchHours, 9)
    // An hour dearer than anything refurbishing recovers: the grade goes another way.
    const dear = atRepairCentre(1e6)
    expect(dear.plan![C]).not.toBe('open_box_refurbish')
    expect(dear.recourseBenchHours).toBe(0)
    expect(dear.capacity).toBe(0)
  })

  it('spreads a refurbishment\'s expected hours over the look-ahead days, in the LP and in the replay', async () => {
    // A bench of 3 h a day; two items each expected to take 2 h of refurbishing (¥100, or
    // ¥300 sold without the bench). On the inspection day alone one fits; with the day after
    // too, both do.
    const net = scarceNetwork(3)
    const state = freshNavigator(net).state
    const day = state.localDay(START.getTime()) + 1
    const refurb = { kind: 'bench' as const, scope: 'SZ-RP', slot: day, amount: 2 }
    const line = (spreadDays: number): LpClass => ({ count: 1, options: [
      { key: 'exchange|r', score: 100, uses: [refurb], graded: [refurb], spreadDays },
      { key: 'exchange', score: 300, uses: [] },
    ] })
    const best = async (cls: LpClass[]) => {
      const m = buildCapacityLp(cls, state, { days: 1, integer: true })
      return ownObjective(m, cls, (await solveLp(m.lp, 10)).colValue)
    }
    expect(await best([line(0), line(0)])).toBeCloseTo(400, 6)
    expect(await best([line(1), line(1)])).toBeCloseTo(200, 6)
    // The replay splits them as the LP does: 2 h and 1 h on the first day, 1 h on the next.
    expect(replayWithinRights([line(1), line(1)], state, [0, 0])).toEqual({ score: 200, turnedAway: 0, violations: [] })
    // Three need 6 h of the two days' 6: they fit only split (whole, the third finds no day).
    expect(replayWithinRights([line(1), line(1), line(1)], state, [0, 0, 0]).violations).toEqual([])
    expect(await best([line(1), line(1), line(1)])).toBeCloseTo(300, 6)
    expect(replayWithinRights([line(0), line(0)], state, [0, 0]).violations).toEqual([`bench|SZ-RP|${day}: over-booked`])
  })

  it('the model counts on refurbishment only where the bench has the hours for it', async () => {
    const item = repairables(scarceNetwork()).find((c) => c.productType === 'smartphone')!
    const req: ReturnRequested = {
      ...repairRequest('U', item.sku, 3000),
      lines: [{ lineId: 'l1', sku: item.sku, qty: 1, unitPrice: 3000, reason: 'changed_mind', condition: 'used', wants: 'refund' }],
    }
    // The best plan the LP finds for the line, on a bench with room and on one with none.
    const best = async (bench: number) => {
      const net = scarceNetwork(bench)
      const state = freshNavigator(net).state
      const classes = [{ options: lineOptions({ request: req, lineIndex: 0 }, state, net, W, START.getTime(), 50), count: 1 }]
      const m = buildCapacityLp(classes, state, { days: 1, integer: true })
      const sol = await solveLp(m.lp, 10)
      const [ci, , oi] = m.columns[sol.colValue.findIndex((x) => x > 0.5)]
      return { key: classes[ci].options[oi].key, score: ownObjective(m, classes, sol.colValue), options: classes[0].options }
    }
    const roomy = await best(240)
    const none = await best(0)
    // With room the best plan refurbishes; without, the same route's twin or another
    // plan, at its own (higher) score — never the refurbishing one at no bench hour.
    expect(routeOf(roomy.key)).not.toBe(roomy.key)
    expect(routeOf(none.key)).toBe(none.key)
    expect(none.score).toBeGreaterThan(roomy.score)
    const twin = none.options.find((o) => o.key === routeOf(roomy.key))
    expect(twin).toBeDefined()
    expect(none.score).toBeLessThanOrEqual(twin!.score + 1e-6)
  })

  it('prices no bench day when the bench has room for every repair, and prices it when it is short', async () => {
    const item = repairedItem(scarceNetwork())
    const prices = async (bench: number) => {
      const net = scarceNetwork(bench)
      const state = freshNavigator(net).state
      const classes = Array.from({ length: 12 }, (_, i) => ({
        options: lineOptions({ request: repairRequest(`F${i}`, item.sku, item.price ?? 500), lineIndex: 0 }, state, net, W, START.getTime(), 8),
        count: 1,
      }))
      const lp = buildCapacityLp(classes, state, { days: 1 })
      const sol = await solveLp(lp.lp, 10)
      expect(sol.status).toBe('Optimal')
      return [...pricesFromDuals(lp, sol.rowDual)].filter(([k]) => k.startsWith('bench|'))
    }
    expect(await prices(240)).toEqual([])
    expect((await prices(2)).length).toBeGreaterThan(0)
  })

  it('the LP gives a line the plans the navigator may choose: the wish first, the others only as fall-backs', () => {
    const net = scarceNetwork()
    const item = repairedItem(net)
    const state = freshNavigator(net).state
    const options = lineOptions({ request: repairRequest('W', item.sku, item.price ?? 500), lineIndex: 0 }, state, net, W, START.getTime(), 8)
    const own = options.filter((o) => !o.fallback)
    expect(own.length).toBeGreaterThan(0)
    for (const o of own) expect(o.key.startsWith('repair|')).toBe(true)
    for (const o of options) if (!o.key.startsWith('repair|')) expect(o.fallback).toBe(true)
  })

  it('marks a bench day booked to its limit as full: its price of 0 is not a free slot', () => {
    const item = repairedItem(scarceNetwork())
    const hours = freshNavigator(scarceNetwork()).applyEvent(repairRequest('H', item.sku, item.price ?? 500), START, W)[0].reservations!.bench!.hours
    const net = scarceNetwork(hours)
    const nav = freshNavigator(net)
    const [d] = nav.applyEvent(repairRequest('F', item.sku, item.price ?? 500), START, W)
    const day = d.reservations!.bench!.day
    const rows = capacityByDay(nav.state, day - 1, day + 1).filter((r) => r.resource === 'bench' && r.nodeId === d.reservations!.bench!.nodeId)
    expect(rows.map((r) => [r.day, r.full, r.bidPrice])).toEqual([[dayDate(day - 1), false, 0], [dayDate(day), true, 0], [dayDate(day + 1), false, 0]])
  })

  it("the KPI's first-come-first-served replay reproduces decisions made without prices", () => {
    // A bench too small for every repair: some wishes are turned away, in arrival order.
    const net = scarceNetwork(3)
    const nav = freshNavigator(net)
    const item = repairedItem(net)
    const requests = Array.from({ length: 10 }, (_, i) => ({ ...repairRequest(`G${i}`, item.sku, item.price ?? 500), occurredAt: new Date(START.getTime() + i * 60_000).toISOString() }))
    for (const r of requests) nav.applyEvent(r, new Date(r.occurredAt), W)
    const batch = hindsightBatch(requests, nav.state, net, W)
    expect(batch.wishesLost).toBeGreaterThan(0)
    const greedy = greedyReplay(batch, net, W)
    // A decision's totals are rounded to the cent, line by line.
    expect(Math.abs(greedy.score - batch.realised)).toBeLessThanOrEqual(0.005 * requests.length)
    expect(greedy.wishesLost).toBe(batch.wishesLost)
  })

  it('hindsight within the rights keeps an entitled wish that had room on arrival; plain hindsight may not', async () => {
    // One bench day of 2.5 h. A long repair arrives first, then two short ones; each
    // customer is entitled to the repair, and a refund is the fall-back.
    const net = scarceNetwork(2.5)
    const state = freshNavigator(net).state
    const day = state.localDay(START.getTime()) + 1
    const line = (hours: number) => ({
      entitled: true, count: 1,
      options: [
        { key: 'repair', score: 0, uses: [{ kind: 'bench' as const, scope: 'SZ-RP', slot: day, amount: hours }] },
        { key: 'refund', score: 100, uses: [], fallback: true },
      ],
    })
    const classes = [line(2.5), line(1.25), line(1.25)]
    const fallbacks = async (arrivalRights: boolean) => {
      const m = buildCapacityLp(classes, state, { days: 1, integer: true, arrivalRights })
      const sol = await solveLp(m.lp, 10)
      expect(sol.status).toBe('Optimal')
      return m.columns.filter(([, , oi], j) => sol.colValue[j] > 0.5 && oi === 1).map(([ci]) => ci)
    }
    expect(await fallbacks(false)).toEqual([0])
    expect((await fallbacks(true)).sort()).toEqual([1, 2])
    // Not entitled, the long repair may be turned away within the rights too.
    classes[0].entitled = false
    expect(await fallbacks(true)).toEqual([0])
  })

  it('bounds the score of any policy within the rights from below, exactly where the LP relaxation is weaker', async () => {
    // One bench day of 2.5 h; three customers entitled to a repair, in arrival order: a
    // 1.5 h repair (¥300, or a ¥100 refund), then two of 1.25 h (¥50, or a ¥200 refund).
    // Within the rights the first is repaired (the bench has room when it arrives); then
    // 1 h is left, which neither later repair fits: 300 + 200 + 200 = 700, which is also
    // what first come first served scores. Plain hindsight refuses the first and repairs
    // the two others: 100 + 50 + 50 = 200. The LP relaxation within the rights gives only
    // 300 + 0.8 × 50 + 1.2 × 200 = 580 (0.8 of a short repair in the hour left); the
    // MIP's bound is the 700, and so is the LP's once told that at least 2 lines are turned
    // away (the count model's LP gives 1.2, rounded up: the count is whole).
    const net = scarceNetwork(2.5)
    const state = freshNavigator(net).state
    const day = state.localDay(START.getTime()) + 1
    const line = (hours: number, repair: number, refund: number) => ({
      entitled: true, count: 1,
      options: [
        { key: 'repair', score: repair, uses: [{ kind: 'bench' as const, scope: 'SZ-RP', slot: day, amount: hours }] },
        { key: 'refund', score: refund, uses: [], fallback: true },
      ],
    })
    const classes = [line(1.5, 300, 100), line(1.25, 50, 200), line(1.25, 50, 200)]
    const bound = await rightsScoreLowerBound(classes, state, 10)
    expect(bound.score).toBeCloseTo(700, 6)
    expect(bound.turnedAwayAtLeast).toBe(2)
    expect(bound.hardGroups).toEqual([{
      lines: 3, lp: expect.closeTo(580, 6), turnedAwayAtLeast: 2, countLp: expect.closeTo(1.2, 6), countMip: expect.closeTo(2, 6),
      lpWithCount: expect.closeTo(700, 6), mipWithCount: expect.closeTo(700, 6), status: 'Optimal',
    }])
    expect(bound.bestFound).toBeCloseTo(700, 6)
    // First come first served, each line its cheapest wish plan with room, else its refund.
    let free = 2.5
    let fcfs = 0
    for (const c of classes) {
      const h = c.options[0].uses[0].amount
      if (h <= free) { free -= h; fcfs += c.options[0].score } else fcfs += c.options[1].score
    }
    expect(fcfs).toBe(700)
    expect(bound.score).toBeLessThanOrEqual(fcfs + 1e-6)
    // Plain hindsight (wishes first, then the score) is far below: the rights cost 250 %.
    const plain = buildCapacityLp(classes, state, { days: 1, integer: true })
    const sol = await solveLp(plain.lp, 10)
    expect(ownObjective(plain, classes, sol.colValue)).toBeCloseTo(200, 6)
    // The plan found passes the replay outside the solver; plain hindsight's breaks a right.
    expect(replayWithinRights(classes, state, bound.bestChoice!)).toEqual({ score: 700, turnedAway: 2, violations: [] })
    expect(replayWithinRights(classes, state, [1, 0, 0]).violations).toEqual(['line 0: a wish plan had room'])
    expect(replayWithinRights(classes, state, [0, 0, 1]).violations).toEqual([`bench|SZ-RP|${day}: over-booked`])
    // Not entitled, the first may be refused: the bound falls to the plain optimum.
    const free0 = [{ ...classes[0], entitled: false }, classes[1], classes[2]]
    expect((await rightsScoreLowerBound(free0, state, 10)).score).toBeCloseTo(200, 6)
  })

  it('an earlier line\'s refurbishment, booked on grading, never turns an entitled repair away', async () => {
    // A bench day of 3 h. First an exchange whose refurbishing twin expects 2 h of it (¥100,
    // or ¥400 sold without the bench), then a customer entitled to a 2 h repair (¥500, or a
    // ¥150 refund). On the score alone, hindsight refurbishes and refunds: 250. Within the rights the
    // repair must be made, as the bench had room when it arrived (the refurbishment is only
    // booked once the item is graded, days later), and the first item sold without the
    // bench: 900.
    const net = scarceNetwork(3)
    const state = freshNavigator(net).state
    const day = state.localDay(START.getTime()) + 1
    const refurb = { kind: 'bench' as const, scope: 'SZ-RP', slot: day, amount: 2 }
    const classes: LpClass[] = [
      { count: 1, entitled: false, options: [
        { key: 'exchange|r', score: 100, uses: [refurb], graded: [refurb] },
        { key: 'exchange', score: 400, uses: [] },
      ] },
      { count: 1, entitled: true, options: [
        { key: 'repair', score: 500, uses: [{ ...refurb, amount: 2 }] },
        { key: 'refund', score: 150, uses: [], fallback: true },
      ] },
    ]
    // On the score alone (fall-backs at their own score, uncapped), with and without the rights.
    const best = async (cls: LpClass[], arrivalRights: boolean) => {
      const m = buildCapacityLp(cls, state, { days: 1, integer: true, fallbackCap: 2, arrivalRights })
      return ownObjective(m, cls, (await solveLp(m.lp, 10)).colValue)
    }
    expect(await best(classes, false)).toBeCloseTo(250, 6)
    expect(await best(classes, true)).toBeCloseTo(900, 6)
    // Were the refurbishment booked on arrival, it would have filled the bench first.
    const onArrival = [{ ...classes[0], options: classes[0].options.map((o) => ({ ...o, graded: undefined })) }, classes[1]]
    expect(await best(onArrival, true)).toBeCloseTo(250, 6)
    expect(replayWithinRights(classes, state, [0, 1]).violations).toEqual(['line 1: a wish plan had room'])
    expect(replayWithinRights(classes, state, [0, 0]).violations).toEqual([`bench|SZ-RP|${day}: over-booked`])
    expect(replayWithinRights(classes, state, [1, 0])).toEqual({ score: 900, turnedAway: 0, violations: [] })
  })

  it('the LP keeps a plan on every stock unit and bench day a line could take, however few plans it keeps', () => {
    const net = scarceNetwork()
    const state = freshNavigator(net).state
    const sized = net.file.catalog.find((c) => c.category === 'apparel')!
    const exchange: ReturnRequested = {
      ...repairRequest('X', sized.sku, sized.price ?? 300),
      lines: [{ lineId: 'l1', sku: sized.sku, qty: 1, unitPrice: sized.price ?? 300, reason: 'size_too_small', condition: 'unopened', wants: 'exchange', exchangeSku: sized.sku }],
    }
    const item = repairedItem(net)
    // A refurbishing twin's bench hours are not a unit the route takes (its twin comes with it).
    const contested = (os: { key: string; uses: { kind: string; scope: string; slot: string | number }[] }[]) =>
      new Set(os.map((o) => o.uses
        .filter((u) => u.kind === 'stock' || (u.kind === 'bench' && routeOf(o.key) === o.key)).map((u) => `${u.kind}|${u.scope}|${u.slot}`).sort().join(',')))
    for (const req of [exchange, repairRequest('R', item.sku, item.price ?? 500)]) {
      const all = lineOptions({ request: req, lineIndex: 0 }, state, net, W, START.getTime(), Infinity)
      const few = lineOptions({ request: req, lineIndex: 0 }, state, net, W, START.getTime(), 3)
      // More than one unit to choose from, or the check says nothing.
      expect(contested(all).size).toBeGreaterThan(2)
      expect(contested(few)).toEqual(contested(all))
    }
  })

  it('prices are in money when the bench turns wishes away: the penalty orders the plans, it is not priced', async () => {
    const net = scarceNetwork(2)
    const item = repairedItem(scarceNetwork())
    const state = freshNavigator(net).state
    const classes = Array.from({ length: 12 }, (_, i) => ({
      options: lineOptions({ request: repairRequest(`P${i}`, item.sku, item.price ?? 500), lineIndex: 0 }, state, net, W, START.getTime(), 8),
      count: 1,
    }))
    const solved = await solveBidPrices(classes, state, 1, 10)
    expect(solved.status).toBe('Optimal')
    expect(solved.fallbacks).toBeGreaterThan(0)
    const bench = [...solved.prices].filter(([k]) => k.startsWith('bench|')).map(([, v]) => v)
    expect(bench.length).toBeGreaterThan(0)
    for (const p of bench) expect(p).toBeLessThan(FALLBACK_PENALTY / 100)
  })
})
