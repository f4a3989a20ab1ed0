import { describe, expect, it } from 'vitest'
import { networkForSim } from '../../../server/sim/remote-network.js'
import { SimWorld } from '../../../server/sim/world.js'
import { fixtureNetwork } from './network-fixture.js'

const local = fixtureNetwork().file

describe('networkForSim', () => {
  it('uses the local file when the server publishes nothing usable', () => {
    for (const remote of [undefined, { error: 'forbidden' }, { nodes: [] }]) {
      const r = networkForSim(local, remote)
      expect(r.source).toBe('local')
      expect(r.network.catalog.size).toBe(local.catalog.length)
    }
  })

  it("takes the server's nodes and catalog over the local priors and timings", () => {
    const remote = {
      version: 'other-1',
      nodes: [
        { id: 'SH-WH', name: 'Shanghai', kind: 'warehouse', lat: 31.2, lon: 121.2, capabilities: ['inspect', 'restock', 'ship_exchange'] },
        { id: 'NEW-WH', name: 'New warehouse', kind: 'warehouse', city: null, lat: 39.9, lon: 116.4, capabilities: ['inspect', 'ship_exchange'] },
      ],
      catalog: [
        { sku: 'X-1', name: 'Gadget', category: 'electronics', productType: 'gadget', price: 99, weightKg: 0.3, repairable: false, lifecycle: 'current', vendorId: 'V-NOPE' },
        { sku: 'X-2', name: 'Toy', category: 'toys', productType: 'toy', price: 59, weightKg: 0.2, repairable: false, lifecycle: 'current' },
      ],
    }
    const r = networkForSim(local, remote)
    expect(r.source).toBe('server')
    expect(r.network.nodes.map((n) => n.id)).toEqual(['SH-WH', 'NEW-WH'])
    // Known node keeps its local timings, takes the server's place and capabilities.
    const sh = r.network.nodes[0]
    expect(sh).toMatchObject({ lat: 31.2, central: true, dockToInspectHours: 24, capabilities: ['inspect', 'restock', 'ship_exchange'] })
    expect(r.network.exchangeNodes).toEqual([0, 1])
    expect([...r.network.catalog.keys()]).toEqual(['X-1', 'X-2'])
    expect(r.network.catalog.get('X-1')?.vendorId).toBeUndefined()
    expect(r.network.categories.get('toys')?.returnRatePrior).toBe(local.categories.apparel.returnRatePrior)
    expect(r.notes.join(' ')).toMatch(/toys/)
    // And a world runs on it.
    const world = new SimWorld(r.network, { seed: 1, startMs: 0, ordersPerDay: 500, defect: false })
    expect(world.take(86_400_000, 100).some((e) => e.type === 'order.placed')).toBe(true)
  })
})
