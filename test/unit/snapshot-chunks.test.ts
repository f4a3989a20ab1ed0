// A navigator state as checkpoint chunks and back: bounded chunks, the same state.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Event } from '../../server/contracts/events.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'
import { fromSnapshotChunks, SnapshotError, SnapshotReader, toSnapshotChunks } from '../../server/navigator/snapshot.js'
import { OpenReturn, type NavigatorState } from '../../server/navigator/state.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../server/sim/demo-network/requests.js'
import { allEventBuilders as b } from '../fixtures/events.js'

const START = new Date('2026-11-02T00:00:00Z')
const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))

/** A state touching every table: stock, open returns with decisions and statuses, grades, orders, catalog, offers, capacity. */
function richState(returns: number): NavigatorState {
  let n = 0
  const nav = new Navigator(network, () => `d-${++n}`, () => `tok-${n}`)
  const apply = (e: unknown) => nav.applyEvent(e as Event, START, DEFAULT_WEIGHTS_VERSION)
  for (const snap of demoInventorySnapshots(network, START)) apply(snap)
  const requests = demoReturnRequests(network, { count: returns, seed: 7, start: START })
  for (const r of requests) nav.decideRequest(r, new Date(r.occurredAt), DEFAULT_WEIGHTS_VERSION)
  const nodeId = network.nodes[0].id
  const sku = [...network.catalog.keys()][0]
  for (const r of requests.slice(0, 20)) {
    apply(b.returnStatus({ rmaId: r.rmaId, status: 'received', nodeId, occurredAt: START.toISOString() }))
    apply(b.returnInspected({ rmaId: r.rmaId, sku: r.lines[0].sku, grade: 'B', nodeId, occurredAt: START.toISOString() }))
  }
  apply(b.orderPlaced({ orderId: 'O-snap', occurredAt: START.toISOString() }))
  apply(b.inventoryAdjusted({ nodeId, sku, delta: 3, occurredAt: START.toISOString() }))
  apply(b.catalogUpsert({ occurredAt: START.toISOString(), items: [{ sku: 'SNAP-1', name: 'Tee "quoted" \\ back¥ 日本', category: 'apparel', productType: 'tshirt', price: 129, cost: 45, weightKg: 0.25, repairable: false, lifecycle: 'current' }] }))
  nav.state.applyEvent({ eventId: 'offer-1', type: 'return.offer_answered', occurredAt: START.toISOString(), rmaId: requests[0].rmaId, lineIndex: 0, offerId: 'OF-1', accepted: true })
  nav.state.setBenchHoursPerDay(0, 12)
  return nav.state
}

/** Tables as the text carries them: JSON has no -0 (a cost term of -0 comes back 0); Maps stay Maps. */
function asCarried(value: unknown): unknown {
  if (Object.is(value, -0)) return 0
  if (value instanceof OpenReturn) {
    const lines = new Map([...value.lines].map(([i, l]) => [i, { decision: l.decision, status: l.status }]))
    return asCarried({ request: value.request, lines, statusByLine: new Map(value.statusByLine) })
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, asCarried(v)]))
  if (Array.isArray(value)) return value.map(asCarried)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asCarried(v)]))
  return value
}

describe('navigator snapshot in chunks', () => {
  // More returns than the state leaves unpacked: the older ones are carried packed.
  const state = richState(2_400)
  const tables = asCarried(state.tables()) as ReturnType<NavigatorState['tables']>
  const packed = [...state.openReturns.entries()].filter(([, open]) => open.packed).length

  it('the state used touches the tables a restart needs', () => {
    for (const name of ['openReturns', 'reservationsByDecision', 'onHandByKey', 'gradeObservations', 'orderPlacedAt', 'catalogOverrides', 'offerAnswers', 'benchCapacity']) {
      expect(tables[name]?.length, name).toBeGreaterThan(0)
    }
    const open = tables.openReturns.map(([, v]) => v as { lines: Map<number, unknown>; statusByLine: Map<number, string> })
    expect(open.some((o) => o.lines.size > 0 && o.statusByLine.size > 0)).toBe(true)
    expect(packed).toBeGreaterThan(100)
  })

  it('cuts a state longer than the bound into chunks within it, which restore the same state', () => {
    const bound = 64 * 1024
    const chunks = toSnapshotChunks(state, bound)
    const total = chunks.reduce((s, c) => s + c.length, 0)
    expect(total).toBeGreaterThan(4 * bound)
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / bound))
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(bound)
    // Maps inside values (an open return's lines) come back as Maps: toEqual tells a Map from an object.
    expect(asCarried(fromSnapshotChunks(network, chunks).tables())).toEqual(tables)
  })

  it('restores the same state from one chunk and from chunks of one entry each', () => {
    const one = toSnapshotChunks(state, 64 * 1024 * 1024)
    expect(one).toHaveLength(1)
    expect(asCarried(fromSnapshotChunks(network, one).tables())).toEqual(tables)
    const tiny = toSnapshotChunks(state, 1)
    const entries = Object.values(tables).reduce((s, t) => s + t.length, 0)
    expect(tiny.length).toBeGreaterThanOrEqual(entries)
    expect(asCarried(fromSnapshotChunks(network, tiny).tables())).toEqual(tables)
  })

  it('an empty state is one chunk naming every table', () => {
    const empty = new Navigator(network, () => 'x', () => 'y').state
    const chunks = toSnapshotChunks(empty, 10)
    expect(fromSnapshotChunks(network, chunks).tables()).toEqual(empty.tables())
  })

  it('refuses chunks that do not make a state: none, truncated, or a table missing', () => {
    const chunks = toSnapshotChunks(state, 64 * 1024)
    expect(() => fromSnapshotChunks(network, [])).toThrow(SnapshotError)
    expect(() => fromSnapshotChunks(network, [chunks[0].slice(0, -10), ...chunks.slice(1)])).toThrow(SnapshotError)
    // The last chunk holds the last tables' runs: without it they are missing.
    expect(() => fromSnapshotChunks(network, chunks.slice(0, -1))).toThrow(/missing/)
    const reader = new SnapshotReader(network)
    expect(() => reader.add('[1,2]')).toThrow(SnapshotError)
  })
})
