// Priority acts (issue 15 item 3): a node works its dock in priority order (value lost
// per hour), so a high-value return is inspected sooner than the cheap ones queued with
// it, while the node's mean lead time stays its standard one; and when a scarce slot is
// lost, the least urgent return gives it up first.
import { describe, expect, it } from 'vitest'
import type { Decision } from '../../../server/contracts/decision.js'
import { Navigator } from '../../../server/navigator/engine.js'
import { NavigatorState } from '../../../server/navigator/state.js'
import { T0, baseFile, network, node, request, sequentialIds, weightsVersion } from './fixtures.js'

const W = weightsVersion()
const base = baseFile()
const decaying = Object.fromEntries(Object.entries(base.categories).map(([k, c]) => [k, { ...c, decayPerWeek: 0.01 }]))

const dockHours = (d: Decision) => {
  const arrive = d.steps.find((s) => s.kind === 'transit')!.etaHours
  const inspect = d.steps.find((s) => s.kind === 'receive_inspect')!.etaHours
  return inspect - arrive
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

  it('a lost bench slot is given up by the least urgent repair, not simply the newest', () => {
    const repairNet = network({
      nodes: [node('R', 1, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', central: true, repairBenchHoursPerDay: 3, repairProductTypes: ['phone'] })],
      categories: decaying,
      catalog: [
        { sku: 'PH-CHEAP', name: 'Phone', category: 'electronics', productType: 'phone', price: 1000, cost: 600, weightKg: 0.5, repairable: true, lifecycle: 'current' },
        { sku: 'PH-DEAR', name: 'Phone', category: 'electronics', productType: 'phone', price: 3000, cost: 1800, weightKg: 0.5, repairable: true, lifecycle: 'current' },
      ],
    })
    const ids = sequentialIds()
    const nav = new Navigator(repairNet, ids.newId, ids.newToken)
    const broken = (sku: string, price: number) => request([{ sku, unitPrice: price, reason: 'defective', condition: 'defective', wants: 'repair' }])
    const cheap = nav.decideRequest(broken('PH-CHEAP', 1000), T0, W)[0]
    const dear1 = nav.decideRequest(broken('PH-DEAR', 3000), T0, W)[0]
    const dear2 = nav.decideRequest(broken('PH-DEAR', 3000), T0, W)[0]
    expect([cheap, dear1, dear2].every((d) => d.resolution === 'repair')).toBe(true)
    const redecided = nav.setRepairCapacity('R', 1, T0, W)
    expect(redecided.map((d) => d.supersedes)).toEqual([cheap.decisionId, dear2.decisionId])
    expect(nav.openDecisions(dear1.rmaId)[0].resolution).toBe('repair')
  })
})
