import { describe, expect, it } from 'vitest'
import { Event } from '../../../server/contracts/events.js'
import { sizeLadders } from '../../../server/sim/catalog-model.js'
import { SimWorld, type DecisionSummary, type SimWorldOptions } from '../../../server/sim/world.js'
import { FIXTURE_CATALOG, fixtureNetwork } from './network-fixture.js'

const DAY = 86_400_000
const START = Date.UTC(2026, 9, 1)
const network = fixtureNetwork()

/** A stand-in navigator: what the customer wanted, by courier to the central warehouse. */
function plainDecision(wants: string): DecisionSummary {
  return {
    resolution: wants, inboundMode: 'courier_pickup', receivingNodeId: 'SH-WH',
    exchangeSourceNodeId: wants === 'exchange' ? 'SH-WH' : null, disposition: 'restock_new',
  }
}

/** Run a world to `days` after the start, answering every request with plainDecision. */
function run(opts: Partial<SimWorldOptions> & { days: number }): { world: SimWorld; events: Event[] } {
  const world = new SimWorld(network, { seed: 7, startMs: START, ordersPerDay: 1500, ...opts })
  const events: Event[] = []
  const until = START + opts.days * DAY
  for (;;) {
    const batch = world.take(until, 1000)
    if (batch.length === 0) break
    for (const e of batch) {
      events.push(e)
      if (e.type === 'return.requested') e.lines.forEach((l, i) => world.onDecision(e.rmaId, i, plainDecision(l.wants)))
    }
  }
  return { world, events }
}

describe('SimWorld', () => {
  it('replays the same stream for the same seed and a different one for another seed', () => {
    const a = run({ days: 3, seed: 11 }).events
    const b = run({ days: 3, seed: 11 }).events
    const c = run({ days: 3, seed: 12 }).events
    expect(a.length).toBeGreaterThan(1000)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    expect(JSON.stringify(c.slice(2, 50))).not.toBe(JSON.stringify(a.slice(2, 50)))
  })

  it('produces only contract-valid events, in time order, with unique demo- ids', () => {
    const { events } = run({ days: 20, defect: { fromMs: START + 13 * DAY } })
    const types = new Set(events.map((e) => e.type))
    expect([...types].sort()).toEqual([
      'catalog.upsert', 'inventory.adjusted', 'inventory.snapshot', 'order.placed', 'return.inspected', 'return.requested', 'return.status',
    ])
    const ids = new Set<string>()
    let last = 0
    for (const e of events) {
      const parsed = Event.safeParse(e)
      if (!parsed.success) throw new Error(`${e.eventId}: ${JSON.stringify(parsed.error.issues)}`)
      expect(e.eventId.startsWith('demo-7-')).toBe(true)
      ids.add(e.eventId)
      const t = Date.parse(e.occurredAt)
      expect(t).toBeGreaterThanOrEqual(last)
      last = t
    }
    expect(ids.size).toBe(events.length)
  })

  it('starts with the catalog and stock of every exchange node', () => {
    const { events } = run({ days: 0.01 })
    expect(events[0].type).toBe('catalog.upsert')
    const snapshot = events.find((e) => e.type === 'inventory.snapshot')
    expect(snapshot && snapshot.type === 'inventory.snapshot' && snapshot.nodeId).toBe('SH-WH')
    // Discontinued items are not sold, so not stocked; the rest is.
    expect(snapshot && snapshot.type === 'inventory.snapshot' && snapshot.items.length).toBe(FIXTURE_CATALOG.length - 1)
  })

  it('returns each category near its prior rate', () => {
    const { events } = run({ days: 45, ordersPerDay: 3000, defect: false })
    const cutoff = START + 30 * DAY // orders after this may still be returned later
    const category = new Map(FIXTURE_CATALOG.map((c) => [c.sku, c.category]))
    const sold: Record<string, number> = {}
    const returned: Record<string, number> = {}
    const cohort = new Set<string>()
    for (const e of events) {
      if (e.type === 'order.placed' && Date.parse(e.occurredAt) < cutoff) {
        cohort.add(e.orderId)
        for (const l of e.lines) sold[category.get(l.sku)!] = (sold[category.get(l.sku)!] ?? 0) + l.qty
      }
      if (e.type === 'return.requested' && cohort.has(e.orderId)) {
        for (const l of e.lines) returned[category.get(l.sku)!] = (returned[category.get(l.sku)!] ?? 0) + l.qty
      }
    }
    const priors = { apparel: 0.3, footwear: 0.22, electronics: 0.1, home: 0.07, beauty: 0.05 }
    for (const [cat, prior] of Object.entries(priors)) {
      const rate = returned[cat] / sold[cat]
      expect(sold[cat], cat).toBeGreaterThan(5000)
      expect(Math.abs(rate - prior) / prior, `${cat}: ${rate.toFixed(4)} vs ${prior}`).toBeLessThan(0.1)
    }
  })

  it('plants a defect spike: the SKU returns at ≥ 3× its earlier rate in the last 7 days, as defective, graded C/D', () => {
    const end = START + 30 * DAY
    const from = end - 7 * DAY
    const { world, events } = run({ days: 30, defect: { fromMs: from } })
    const sku = world.defectSku!
    expect(sku).toBe('PHONE-X') // the electronics bestseller of this seed
    const window = (a: number, b: number) => {
      let sold = 0, back = 0, defective = 0
      for (const e of events) {
        const t = Date.parse(e.occurredAt)
        if (t < a || t >= b) continue
        if (e.type === 'order.placed') for (const l of e.lines) if (l.sku === sku) sold += l.qty
        if (e.type === 'return.requested') {
          for (const l of e.lines) if (l.sku === sku) { back += l.qty; if (l.reason === 'defective') defective += l.qty }
        }
      }
      return { rate: back / sold, sold, defective, back }
    }
    const before = window(START + 7 * DAY, from)
    const spike = window(from, end)
    expect(before.sold).toBeGreaterThan(200)
    expect(spike.rate / before.rate).toBeGreaterThanOrEqual(3)
    expect(spike.defective / spike.back).toBeGreaterThan(0.7)
    const grades = events.filter((e) => e.type === 'return.inspected' && e.sku === sku && Date.parse(e.occurredAt) >= from + 3 * DAY)
      .map((e) => (e.type === 'return.inspected' ? e.grade : ''))
    expect(grades.length).toBeGreaterThan(20)
    expect(grades.filter((g) => g === 'C' || g === 'D').length / grades.length).toBeGreaterThan(0.7)
  })

  it('shapes orders by the hour of day: evening peak, night trough (China time)', () => {
    const { events } = run({ days: 14, defect: false })
    const byHour = new Array(24).fill(0)
    for (const e of events) if (e.type === 'order.placed') byHour[(new Date(e.occurredAt).getUTCHours() + 8) % 24]++
    const evening = byHour[20] + byHour[21] + byHour[22]
    const night = byHour[3] + byHour[4] + byHour[5]
    expect(evening / night).toBeGreaterThan(6)
    const total = byHour.reduce((s, x) => s + x, 0)
    expect(total / 14).toBeGreaterThan(1350)
    expect(total / 14).toBeLessThan(1650)
  })

  it('changes pace: ten times the orders after setPace', () => {
    const world = new SimWorld(network, { seed: 3, startMs: START, ordersPerDay: 1000, emitSetup: false, defect: false })
    const count = (until: number) => world.take(until, 1e9).filter((e) => e.type === 'order.placed').length
    const slow = count(START + 2 * DAY)
    world.setPace({ ordersPerDay: 10_000 }, START + 2 * DAY)
    const fast = count(START + 4 * DAY)
    expect(fast / slow).toBeGreaterThan(8)
    expect(fast / slow).toBeLessThan(12)
  })

  it('a new speed-up also compresses what is already scheduled (backfill → live)', () => {
    const { world } = run({ days: 10, defect: false })
    const switchAt = START + 10 * DAY
    const pending = world.openReturns
    expect(pending).toBeGreaterThan(100)
    world.setPace({ lifecycleSpeedup: 360 }, switchAt)
    // A day of lifecycle at 360× is 4 minutes: within an hour, requests of earlier orders
    // arrive and the returns under way close.
    const hour = world.take(switchAt + 3_600_000, 1e9)
    expect(hour.filter((e) => e.type === 'return.requested').length).toBeGreaterThan(200)
    expect(hour.filter((e) => e.type === 'return.status' && e.status === 'closed').length).toBeGreaterThan(pending / 2)
    // Orders keep their own rate: about an hour's worth (1,500/day), not 360 times that.
    expect(hour.filter((e) => e.type === 'order.placed').length).toBeLessThan(250)
  })

  it('asks for the neighbouring size when the catalog has a size ladder', () => {
    const { events } = run({ days: 20, defect: false })
    const ladder = ['TEE-BLK-S', 'TEE-BLK-M', 'TEE-BLK-L', 'TEE-BLK-XL']
    let checked = 0
    for (const e of events) {
      if (e.type !== 'return.requested') continue
      for (const l of e.lines) {
        const i = ladder.indexOf(l.sku)
        if (i < 0 || l.wants !== 'exchange' || (l.reason !== 'size_too_small' && l.reason !== 'size_too_large')) continue
        const want = ladder[i + (l.reason === 'size_too_small' ? 1 : -1)] ?? l.sku
        expect(l.exchangeSku, `${l.sku} ${l.reason}`).toBe(want)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(30)
    const ladders = sizeLadders(FIXTURE_CATALOG)
    expect(ladders.get('RUN-41-BLU')?.ladder).toEqual(['RUN-39-BLU', 'RUN-40-BLU', 'RUN-41-BLU', 'RUN-42-BLU'])
    expect(ladders.has('MUG-0041')).toBe(false) // numbered home goods are not sizes
  })

  describe('lifecycle after a decision', () => {
    /** The first request of a world, decided as given; everything that follows for it. */
    function follow(decision: Partial<DecisionSummary>, opts: Partial<SimWorldOptions> = {}) {
      const world = new SimWorld(network, { seed: 5, startMs: START, ordersPerDay: 2000, emitSetup: false, defect: false, cancelShare: 0, ...opts })
      let request: Extract<Event, { type: 'return.requested' }> | undefined
      const after: Event[] = []
      for (;;) {
        const e = world.next(START + 60 * DAY)
        if (!e) break
        if (!request && e.type === 'return.requested' && e.lines.length === 1) {
          request = e
          world.onDecision(e.rmaId, 0, { ...plainDecision('refund'), ...decision })
        } else if (request && (('rmaId' in e && e.rmaId === request.rmaId)
          || (e.type === 'inventory.adjusted' && e.reason?.endsWith(` ${request.rmaId}`)))) {
          after.push(e)
        }
        if (request && Date.parse(e.occurredAt) > Date.parse(request.occurredAt) + 30 * DAY) break
      }
      const steps = after.map((e) => (e.type === 'return.status' ? e.status : e.type === 'return.inspected' ? 'inspected' : e.type))
      return { request: request!, after, steps }
    }

    it.each([
      ['refund by courier', { resolution: 'refund', inboundMode: 'courier_pickup' },
        ['label_created', 'picked_up', 'in_transit', 'received', 'inspected'], ['refunded', 'restocked|sent_to_channel']],
      ['exchange via drop-off', { resolution: 'exchange', inboundMode: 'drop_off', exchangeSourceNodeId: 'SH-WH', disposition: 'open_box_refurbish' },
        ['label_created', 'dropped_off', 'in_transit', 'received', 'inspected'], ['exchange_shipped', 'sent_to_channel']],
      ['repair, self-shipped', { resolution: 'repair', inboundMode: 'self_ship', receivingNodeId: 'SZ-RP', disposition: 'none' },
        ['label_created', 'in_transit', 'received', 'inspected', 'repair_started', 'repaired', 'exchange_shipped'], []],
      ['store credit, nothing to dispose', { resolution: 'store_credit', inboundMode: 'self_ship', disposition: 'none' },
        ['label_created', 'in_transit', 'received', 'inspected', 'refunded'], []],
      ['keep it', { resolution: 'keep_it', inboundMode: 'none', receivingNodeId: null, disposition: 'none' }, ['refunded'], []],
    ] as [string, Partial<DecisionSummary>, string[], string[]][])('%s', (_name, decision, ordered, unordered) => {
      const { request, after, steps } = follow(decision)
      const statuses = steps.filter((s) => s !== 'inventory.adjusted')
      expect(statuses.slice(0, ordered.length)).toEqual(ordered)
      const middle = statuses.slice(ordered.length, -1)
      expect(middle.length).toBe(unordered.length)
      for (const alt of unordered) expect(middle.some((s) => alt.split('|').includes(s)), `${alt} in ${middle}`).toBe(true)
      expect(statuses.at(-1)).toBe('closed')
      const t = after.map((e) => Date.parse(e.occurredAt))
      expect(t[0]).toBeGreaterThanOrEqual(Date.parse(request.occurredAt))
      for (const e of after) {
        if (e.type === 'return.status') expect(e.lineId).toBe('L1')
        if (e.type === 'return.status' && e.status === 'received') expect(e.nodeId).toBe(decision.receivingNodeId ?? 'SH-WH')
        if (e.type === 'return.status' && e.status === 'exchange_shipped' && decision.resolution === 'exchange') expect(e.nodeId).toBe('SH-WH')
        if (e.type === 'return.inspected') expect(e.nodeId).toBe(decision.receivingNodeId ?? 'SH-WH')
      }
      if (decision.resolution === 'exchange') {
        // The replacement leaves the source node's stock.
        expect(after.some((e) => e.type === 'inventory.adjusted' && e.nodeId === 'SH-WH' && e.delta < 0)).toBe(true)
      }
    })

    it('pays a refund when the plan says: at the first scan, on receipt or after inspection; ships an exchange ahead', () => {
      const at = (after: Event[], pick: (e: Event) => boolean) => Date.parse(after.find(pick)!.occurredAt)
      const status = (s: string) => (e: Event) => e.type === 'return.status' && e.status === s
      const inspected = (e: Event) => e.type === 'return.inspected'
      const scan = follow({ resolution: 'refund', inboundMode: 'courier_pickup', refundTiming: 'first_scan' }).after
      expect(at(scan, status('refunded'))).toBeGreaterThan(at(scan, status('picked_up')))
      expect(at(scan, status('refunded'))).toBeLessThan(at(scan, status('received')))
      const receipt = follow({ resolution: 'refund', inboundMode: 'courier_pickup', refundTiming: 'receipt' }).after
      expect(at(receipt, status('refunded'))).toBeGreaterThan(at(receipt, status('received')))
      const checked = follow({ resolution: 'refund', inboundMode: 'courier_pickup', refundTiming: 'inspection' }).after
      expect(at(checked, status('refunded'))).toBeGreaterThan(at(checked, inspected))
      const ahead = follow({ resolution: 'exchange', inboundMode: 'courier_pickup', exchangeSourceNodeId: 'SH-WH', advanceExchange: true }).after
      expect(at(ahead, status('exchange_shipped'))).toBeLessThan(at(ahead, status('received')))
    })

    it('compresses delays by the speed-up factor', () => {
      const slow = follow({ resolution: 'refund' }).after
      const fast = follow({ resolution: 'refund' }, { lifecycleSpeedup: 100 }).after
      const span = (xs: Event[]) => Date.parse(xs.at(-1)!.occurredAt) - Date.parse(xs[0].occurredAt)
      expect(span(slow)).toBeGreaterThan(DAY)
      expect(span(fast)).toBeLessThan(span(slow) / 50)
    })

    it('a cancelled request gets one cancelled status and nothing else', () => {
      const { steps } = follow({ resolution: 'refund' }, { cancelShare: 1 })
      expect(steps).toEqual(['cancelled'])
    })

    it('ignores a second decision for a line that is already on its way', () => {
      const world = new SimWorld(network, { seed: 5, startMs: START, ordersPerDay: 2000, emitSetup: false, defect: false, cancelShare: 0 })
      let e: Event | undefined
      while ((e = world.next(START + 30 * DAY)) && e.type !== 'return.requested');
      expect(e?.type).toBe('return.requested')
      const rmaId = (e as Extract<Event, { type: 'return.requested' }>).rmaId
      expect(world.onDecision(rmaId, 0, plainDecision('refund'))).toBe(true)
      expect(world.onDecision(rmaId, 0, plainDecision('refund'))).toBe(false)
      expect(world.onDecision('RMA-unknown', 0, plainDecision('refund'))).toBe(false)
    })
  })
})

describe('SimWorld on the shipped demo network', () => {
  it('runs, emits only valid events, and plants the defect on an electronics bestseller', async () => {
    const { DEMO_NETWORK_PATH, readNetworkFile } = await import('../../../server/network/network-file.js')
    const demo = await readNetworkFile(DEMO_NETWORK_PATH)
    const world = new SimWorld(demo, { seed: 2, startMs: START, ordersPerDay: 1500, defect: { fromMs: START } })
    expect(demo.catalog.get(world.defectSku!)?.category).toBe('electronics')
    const events = world.take(START + 3 * DAY, 1e9)
    const snapshots = events.filter((e) => e.type === 'inventory.snapshot')
    expect(snapshots.map((e) => (e.type === 'inventory.snapshot' ? e.nodeId : ''))).toEqual(demo.exchangeNodes.map((i) => demo.nodes[i].id))
    for (const e of events) {
      const parsed = Event.safeParse(e)
      if (!parsed.success) throw new Error(`${e.eventId}: ${JSON.stringify(parsed.error.issues)}`)
    }
    expect(events.filter((e) => e.type === 'return.requested').length).toBeGreaterThan(100)
  })
})
