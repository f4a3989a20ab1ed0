// Priority acts (issue 15 item 3): a node works its dock in priority order (value lost
// per hour), so a high-value return is inspected sooner than the cheap ones queued with
// it, while the node's mean lead time stays its standard one; and when a scarce slot is
// lost, the least urgent return gives it up first.
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import { Navigator } from '../../../server/navigator/engine.js'
import { NavigatorState } from '../../../server/navigator/state.js'
import { overBooked } from '../../../server/navigator/capacity.js'
import { T0, baseFile, network, node, request, sequentialIds, weightsVersion } from './fixtures.js'

const W = weightsVersion()
const base = baseFile()
const decaying = Object.fromEntries(Object.entries(base.categories).map(([k, c]) => [k, { ...c, decayPerWeek: 0.01 }]))

const dockHours = (d: Decision) => {
  const arrive = d.steps.find((s) => s.kind === 'transit')!.etaHours
  const inspect = d.steps.find((s) => s.kind === 'receive_inspect')!.etaHours
  return inspect - arrive
}


/** A repair centre for phones with `benchHours` a day, a cheap phone and a dear one (price `dearPrice`). */
function phoneRepairs(benchHours: number, dearPrice: number) {
  const repairNet = network({
    nodes: [node('R', 1, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', central: true, repairBenchHoursPerDay: benchHours, repairProductTypes: ['phone'] })],
    categories: decaying,
    catalog: [
      { sku: 'PH-CHEAP', name: 'Phone', category: 'electronics', productType: 'phone', price: 1000, cost: 600, weightKg: 0.5, repairable: true, lifecycle: 'current' },
      { sku: 'PH-DEAR', name: 'Phone', category: 'electronics', productType: 'phone', price: dearPrice, cost: dearPrice * 0.6, weightKg: 0.5, repairable: true, lifecycle: 'current' },
    ],
  })
  const ids = sequentialIds()
  const nav = new Navigator(repairNet, ids.newId, ids.newToken)
  const broken = (sku: string, price: number) => request([{ sku, unitPrice: price, reason: 'defective', condition: 'defective', wants: 'repair' }])
  return { repairNet, nav, broken }
}

describe('priority', () => {
  const net = network({
    nodes: [node('W1', 1, ['inspect', 'restock', 'liquidate', 'recycle'], { central: true, dockToInspectHours: 24 })],
    categories: decaying,
    catalog: [
      { sku: 'TEE', name: 'T-shirt', category: 'apparel', productType: 'tee', price: 139, weightKg: 0.3, repairable: false, lifecycle: 'current' },
      { sku: 'LAPTOP', name: 'Laptop', category: 'electronics', productType: 'laptop', price: 9509, weightKg: 2, repairable: false, lifecycle: 'current' },
    ],
  })

  it('orders the dock: the laptop is inspected before the T-shirts queued with it; the mean stays the standard lead time', () => {
    const ids = sequentialIds()
    const nav = new Navigator(net, ids.newId, ids.newToken)
    const first = nav.decideRequest(request([{ sku: 'TEE', unitPrice: 139 }]), T0, W)[0]
    expect(dockHours(first)).toBeCloseTo(24, 6) // nothing seen yet: the standard lead time
    const tees = Array.from({ length: 60 }, () => nav.decideRequest(request([{ sku: 'TEE', unitPrice: 139 }]), T0, W)[0])
    const laptop = nav.decideRequest(request([{ sku: 'LAPTOP', unitPrice: 9509 }]), T0, W)[0]
    expect(laptop.priority).toBeGreaterThan(tees[0].priority * 10)
    expect(dockHours(laptop)).toBeLessThan(10)
    expect(dockHours(tees.at(-1)!)).toBeCloseTo(24, 6) // all alike: the middle of the queue
    // With the laptop (and more like it) in the queue, the next T-shirt waits behind them.
    for (let i = 0; i < 5; i++) nav.decideRequest(request([{ sku: 'LAPTOP', unitPrice: 9509 }]), T0, W)
    const tee = nav.decideRequest(request([{ sku: 'TEE', unitPrice: 139 }]), T0, W)[0]
    expect(dockHours(tee)).toBeGreaterThan(24)
    const task = laptop.tasks.find((t) => t.action === 'receive_and_inspect')!
    const teeTask = tee.tasks.find((t) => t.action === 'receive_and_inspect')!
    expect(Date.parse(task.dueAt)).toBeLessThan(Date.parse(teeTask.dueAt))
    // Work-conserving: over the node's mix the expected share ahead is one half.
    const s = new NavigatorState(net)
    const mix = [[0.01, 30], [0.1, 20], [1, 10]] as const
    for (const [p, n] of mix) s.recordDockLoad(0, p, n)
    const total = mix.reduce((a, [, n]) => a + n, 0)
    const mean = mix.reduce((a, [p, n]) => a + n * 2 * s.dockShareAhead(0, p), 0) / total
    expect(mean).toBeCloseTo(1, 1)
  })

  it('orders the repair bench: a dear repair waits less for the bench than the cheap ones queued with it; the baseline waits its standard time', () => {
    const { repairNet, nav, broken } = phoneRepairs(500, 6000)
    // Inspected → repaired: the dock is ordered too, so the bench is read from the repair step.
    const benchWait = (d: Decision) => d.steps.find((s) => s.kind === 'repair')!.etaHours - d.steps.find((s) => s.kind === 'receive_inspect')!.etaHours
    const first = nav.decideRequest(broken('PH-CHEAP', 1000), T0, W)[0]
    expect(first.resolution).toBe('repair')
    const standard = benchWait(first) // nothing seen yet: the standard turnaround
    const cheap = Array.from({ length: 40 }, () => nav.decideRequest(broken('PH-CHEAP', 1000), T0, W)[0])
    const dear = nav.decideRequest(broken('PH-DEAR', 6000), T0, W)[0]
    expect(dear.resolution).toBe('repair')
    expect(benchWait(cheap.at(-1)!)).toBeCloseTo(standard, 6) // all alike: the middle of the queue
    expect(benchWait(dear)).toBeLessThan(standard - 5)
    for (let i = 0; i < 10; i++) nav.decideRequest(broken('PH-DEAR', 6000), T0, W)
    const later = nav.decideRequest(broken('PH-CHEAP', 1000), T0, W)[0]
    expect(benchWait(later)).toBeGreaterThan(standard)
    // The baseline keeps a first-come bench (and dock): its wait does not move with priority.
    expect(dear.baseline.totals.waitHours).toBeCloseTo(first.baseline.totals.waitHours, 6)
    // Work-conserving: over the bench's mix the expected share ahead is one half.
    const s = new NavigatorState(repairNet)
    s.recordBenchLoad(0, 0.01, 30)
    s.recordBenchLoad(0, 1, 10)
    const mean = (30 * 2 * s.benchShareAhead(0, 0.01) + 10 * 2 * s.benchShareAhead(0, 1)) / 40
    expect(mean).toBeCloseTo(1, 1)
  })

  it('a lost bench slot is given up by the least urgent repair, not simply the newest', () => {
    const { repairNet, nav, broken } = phoneRepairs(3, 3000)
    const cheap = nav.decideRequest(broken('PH-CHEAP', 1000), T0, W)[0]
    const dear1 = nav.decideRequest(broken('PH-DEAR', 3000), T0, W)[0]
    const dear2 = nav.decideRequest(broken('PH-DEAR', 3000), T0, W)[0]
    expect([cheap, dear1, dear2].every((d) => d.resolution === 'repair')).toBe(true)
    const redecided = nav.setRepairCapacity('R', 1, T0, W)
    // Both given up (re-decided most urgent first, once all displaced plans are given back).
    expect(redecided.map((d) => d.supersedes).sort()).toEqual([cheap.decisionId, dear2.decisionId].sort())
    expect(nav.openDecisions(dear1.rmaId)[0].resolution).toBe('repair')
  })

  it('a customer entitled to the repair takes the bench slot of a goodwill repair when a cut leaves no other', () => {
    const repairNet = network({
      nodes: [
        node('R1', 1, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', central: true, repairBenchHoursPerDay: 2, repairProductTypes: ['phone'] }),
        node('R2', 3, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', repairBenchHoursPerDay: 1, repairProductTypes: ['phone'] }),
      ],
      categories: decaying,
      catalog: [{ sku: 'PH', name: 'Phone', category: 'electronics', productType: 'phone', price: 2000, cost: 1200, weightKg: 0.5, repairable: true, lifecycle: 'current' }],
    })
    const ids = sequentialIds()
    const nav = new Navigator(repairNet, ids.newId, ids.newToken)
    // Delivered 10 days ago: the CN guarantee entitles the customer to the repair; 500 days
    // ago: no right is left, the repair is goodwill.
    const broken = (daysAgo: number) => ({
      ...request([{ sku: 'PH', unitPrice: 2000, reason: 'defective', condition: 'defective', wants: 'repair' }]),
      deliveredAt: new Date(T0.getTime() - daysAgo * 86_400_000).toISOString(),
    })
    const e1 = nav.decideRequest(broken(10), T0, W)[0]
    const e2 = nav.decideRequest(broken(10), T0, W)[0]
    const goodwill = nav.decideRequest(broken(500), T0, W)[0]
    expect([e1, e2].map((d) => d.reservations?.bench?.nodeId)).toEqual(['R1', 'R1'])
    expect(e1.entitlement?.allowed).toContain('repair')
    expect(goodwill.entitlement ?? null).toBeNull()
    expect(goodwill.reservations?.bench?.nodeId).toBe('R2')

    const redecided = nav.setRepairCapacity('R1', 1, T0, W)
    const entitledMoved = redecided.find((d) => d.supersedes === e1.decisionId || d.supersedes === e2.decisionId)!
    expect(entitledMoved.resolution).toBe('repair')
    expect(entitledMoved.reservations?.bench?.nodeId).toBe('R2')
    const bumped = redecided.find((d) => d.supersedes === goodwill.decisionId)!
    expect(bumped.resolution).not.toBe('repair')
    expect(redecided).toHaveLength(2)
    expect(overBooked(nav.state)).toEqual([])
  })
})
