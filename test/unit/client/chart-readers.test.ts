import { describe, expect, it } from 'vitest'
import {
  categoryRatesFromSkus, readCategoryRates, readFlows, readKpis, readReasonMix, readReturnsOverTime, readTurnaround, pickNumber,
} from '../../../client/src/charts/read'
import { readSkuPage, readSkuTrend, readTopReasons, readAlert, readCounts } from '../../../client/src/charts/skus'
import { readPreview, relativeChange, toShares, diffSettings } from '../../../client/src/charts/routing'
import { trackSteps } from '../../../client/src/charts/track'

describe('readers tolerate the analytics API and empty stores', () => {
  it('reads KPI aliases and sums open returns by status', () => {
    const k = readKpis({ returnsToday: 12, perHour: 1.5, openByStatus: { in_transit: 3, received: 5 }, turnaround: { p50Hours: 40, p90Hours: '96' }, costPerReturn: 18.2, recoveryRate: 0.61, savingsVsBaseline: 1234 })
    expect(k).toMatchObject({ returnsToday: 12, returnsPerHour: 1.5, openReturns: 8, turnaroundP50: 40, turnaroundP90: 96, costPerReturn: 18.2, recoveryRate: 0.61, savings: 1234 })
    expect(k.openByStatus[0]).toEqual({ status: 'received', count: 5 })
  })
  it.each([null, undefined, {}, [], 'oops'])('empty KPI answer %j gives missing values, not a crash', (v) => {
    const k = readKpis(v)
    expect(k.returnsToday).toBeUndefined()
    expect(k.openByStatus).toEqual([])
    expect(readReturnsOverTime(v)).toEqual([])
    expect(readReasonMix(v)).toEqual([])
    expect(readTurnaround(v).buckets).toEqual([])
    expect(readFlows(v)).toEqual({ nodes: [], links: [] })
  })
  it('sorts a time series and keeps orders when present', () => {
    expect(readReturnsOverTime({ series: [{ t: '2025-01-02', returns: 2, orders: 9 }, { t: '2025-01-01', count: 1 }] }))
      .toEqual([{ t: '2025-01-01', returns: 1 }, { t: '2025-01-02', returns: 2, orders: 9 }])
  })
  it('sums reasons over categories', () => {
    expect(readReasonMix({ items: [{ reason: 'defective', category: 'home', count: 2 }, { reason: 'defective', category: 'apparel', count: 3 }, { reason: 'other', count: 1 }] }))
      .toEqual([{ key: 'defective', count: 5 }, { key: 'other', count: 1 }])
  })
  it('aggregates category rates from SKU rows weighted by units', () => {
    const rows = categoryRatesFromSkus({ items: [{ category: 'a', unitsSold: 100, unitsReturned: 10 }, { category: 'a', unitsSold: 100, unitsReturned: 30 }, { category: 'b', unitsSold: 0, unitsReturned: 0 }] })
    expect(rows).toEqual([{ category: 'a', rate: 0.2, sold: 200, returned: 40 }])
    expect(readCategoryRates({ byCategory: [{ category: 'x', unitsSold: 10, unitsReturned: 1 }] })[0].rate).toBeCloseTo(0.1)
  })
  it('labels turnaround buckets from ranges', () => {
    expect(readTurnaround({ histogram: [{ fromHours: 0, toHours: 24, count: 3 }, { le: 48, count: 1 }], p50Hours: 20 }))
      .toEqual({ buckets: [{ label: '0–24', count: 3 }, { label: '≤48', count: 1 }], p50: 20, p90: undefined, p99: undefined })
  })
  it('drops flow links that would make a cycle or are empty', () => {
    const f = readFlows({ nodes: [{ name: 'a' }, { name: 'b' }, { name: 'unused' }], links: [{ source: 'a', target: 'b', value: 2 }, { source: 'b', target: 'a', value: 1 }, { source: 'a', target: 'a', value: 1 }, { source: 'a', target: 'c', value: 0 }] })
    expect(f).toEqual({ nodes: [{ name: 'a' }, { name: 'b' }], links: [{ source: 'a', target: 'b', value: 2 }] })
  })
  it('reads numeric strings (ClickHouse Int64)', () => {
    expect(pickNumber({ n: '42' }, ['n'])).toBe(42)
    expect(pickNumber({ n: 'x' }, ['n'])).toBeUndefined()
  })
})

describe('SKU readers', () => {
  it('reads a page with object or string reasons and anomaly flags', () => {
    const p = readSkuPage({ items: [{ sku: 'S1', category: 'home', unitsSold: 10, unitsReturned: 2, returnRate: 0.2, topReasons: [{ reason: 'defective', count: 2 }], anomaly: { kind: 'category_outlier' } }, { sku: 'S2', topReasons: ['other'], anomaly: null }, { nope: 1 }], total: 40 })
    expect(p.total).toBe(40)
    expect(p.rows.map((r) => [r.sku, r.topReasons, r.anomaly, r.anomalyNote])).toEqual([['S1', ['defective'], true, 'category_outlier'], ['S2', ['other'], false, undefined]])
    expect(readTopReasons('x')).toEqual([])
  })
  it('computes a trend rate from units when no rate is given', () => {
    expect(readSkuTrend({ trend: [{ date: '2025-01-02', unitsSold: 10, unitsReturned: 5, categoryRate: 0.1 }] })).toEqual([{ t: '2025-01-02', rate: 0.5, categoryRate: 0.1 }])
  })
  it('reads alerts with evidence and counts as map or list', () => {
    expect(readAlert({ sku: 'S', evidence: { rate: 0.4, categoryRate: 0.1 }, kind: 'spike' }, '1')).toMatchObject({ sku: 'S', rate: 0.4, baseline: 0.1, kind: 'spike' })
    expect(readCounts({ a: 1, b: 3 }, [])).toEqual([{ key: 'b', count: 3 }, { key: 'a', count: 1 }])
    expect(readCounts([{ disposition: 'recycle', count: 2 }], ['disposition'])).toEqual([{ key: 'recycle', count: 2 }])
  })
})

describe('what-if preview', () => {
  const resp = {
    n: 100, changed: 7,
    current: { totalCost: 1000, avgCost: 10, medianWaitHours: 48, totalCo2Kg: 50, resolutionMix: { refund: 80, exchange: 20 }, dispositionMix: { restock_new: 60 } },
    candidate: { totalCost: 900, avgCost: 9, medianWaitHours: 50, totalCo2Kg: 50, resolutionMix: { refund: 70, exchange: 30 }, dispositionMix: { restock_new: 60 } },
    delta: { totalCost: -100 },
    sample: [{ rmaId: 'R1', lineIndex: 0, before: { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'W1', disposition: 'restock_new', score: 5 }, after: { resolution: 'exchange', inboundMode: 'drop_off', receivingNodeId: 'W2', disposition: 'restock_new', score: 4 } }, { nothing: true }],
  }
  it('reads the documented shape and skips malformed samples', () => {
    const p = readPreview(resp)
    expect(p).toMatchObject({ n: 100, changed: 7, current: { totalCost: 1000, resolutionMix: { refund: 80 } }, candidate: { medianWaitHours: 50 } })
    expect(p.sample).toHaveLength(1)
    expect(p.sample[0].after.resolution).toBe('exchange')
  })
  it('tolerates an empty answer', () => {
    expect(readPreview({})).toEqual({ n: undefined, changed: undefined, current: expect.objectContaining({ resolutionMix: {} }), candidate: expect.objectContaining({ dispositionMix: {} }), sample: [] })
  })
  it.each([[100, 90, -0.1], [0, 0, 0], [0, 5, undefined], [undefined, 1, undefined], [-10, -5, 0.5]])('relative change %s → %s = %s', (b, a, expected) => {
    expect(relativeChange(b, a)).toBe(expected)
  })
  it('turns counts into shares', () => {
    expect(toShares({ a: 1, b: 3 })).toEqual({ a: 0.25, b: 0.75 })
    expect(toShares({})).toEqual({})
  })
  it('diffs versions field by field', () => {
    expect(diffSettings({ weights: { wait: 1, cost: 1 }, policy: { a: [1] } }, { weights: { wait: 2, cost: 1 }, policy: { a: [1] } }))
      .toEqual([{ group: 'weights', key: 'wait', from: 1, to: 2 }])
  })
})

describe('tracking journey', () => {
  it('shows reached steps then the ones ahead for a refund', () => {
    const s = trackSteps([{ status: 'requested', at: '2025-01-01T00:00:00Z' }, { status: 'picked_up', at: '2025-01-01T05:00:00Z' }], 'picked_up', 'refund')
    expect(s.map((x) => `${x.status}:${x.state}`)).toEqual(['requested:done', 'picked_up:current', 'in_transit:next', 'received:next', 'inspected:next', 'refunded:next', 'closed:next'])
  })
  it('adds the implicit request and hides warehouse-internal statuses', () => {
    const s = trackSteps([{ status: 'received', at: '2' }, { status: 'restocked', at: '3' }], 'restocked', 'exchange')
    expect(s.map((x) => x.status)).toEqual(['requested', 'received', 'exchange_shipped', 'closed'])
  })
  it('ends at cancellation', () => {
    expect(trackSteps([], 'cancelled', 'refund').map((x) => `${x.status}:${x.state}`)).toEqual(['requested:done', 'cancelled:done'])
  })
})
