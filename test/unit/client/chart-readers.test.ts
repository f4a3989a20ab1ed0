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
    expect(k.snapshotsAsOf).toBeUndefined()
    expect(readKpis({ snapshotsAsOf: '2026-11-26T10:02:15.000Z' }).snapshotsAsOf).toBe('2026-11-26T10:02:15.000Z')
    expect(readKpis({ snapshotsAsOf: null }).snapshotsAsOf).toBeUndefined()
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
      .toEqual({ buckets: [{ label: '0–24', count: 3 }, { label: '≤48', count: 1 }], stages: [], byWarehouse: [], p50: 20, p90: undefined, p99: undefined })
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

describe('readers on the real analytics answers', () => {
  // Trimmed answers of a real server fed by the simulator (GET /api/v1/kpis, /reasons, /turnaround, /skus/:sku, /anomalies).
  const kpis = {
    asOf: '2026-11-26T04:06:45.908Z',
    today: { returns: 30, returnLines: 30, unitsReturned: 31, returnedValue: 28544.5, orderLines: 143, unitsSold: 145 },
    perHour: [{ hour: '2026-11-26T02:00:00Z', returns: 5 }, { hour: '2026-11-26T03:00:00Z', returns: 10 }, { hour: '2026-11-26T04:00:00Z', returns: 0 }],
    openReturns: { total: 339, byStatus: [{ status: 'label_created', returns: 109, oldestAt: 'x' }, { status: 'in_transit', returns: 123, oldestAt: 'y' }] },
    turnaround: { window: '30d', n: 2525, p50Hours: 63.33, p90Hours: 98.42 },
    cost: { returns: 3137, netCost: 396976.7, costPerReturn: 126.55, recovery: 1627688.84, savings: 576461.11, recoveryRate: 0.6463, savingsRate: 0.5922 },
    returnRate: { window: '30d', overall: 0.15, byCategory: [{ category: 'apparel', unitsSold: 6185, unitsReturned: 1760, returnRate: 0.284559 }, { category: 'home', unitsSold: 100, unitsReturned: 7, returnRate: 0.07 }] },
    series: [{ day: '2026-10-29', returns: 5, unitsSold: 600 }, { day: '2026-10-28', returns: 3, unitsReturned: 3, unitsSold: 672, returnRate: 0.004464 }],
  }
  it('KPIs: today, per hour without the hour in progress, open by status, turnaround, cost', () => {
    const k = readKpis(kpis)
    expect(k).toMatchObject({ returnsToday: 30, returnsPerHour: 7.5, openReturns: 339, turnaroundP50: 63.33, turnaroundP90: 98.42, costPerReturn: 126.55, recoveryRate: 0.6463, savings: 576461.11, savingsRate: 0.5922 })
    expect(k.openByStatus).toEqual([{ status: 'in_transit', count: 123 }, { status: 'label_created', count: 109 }])
    expect(readCategoryRates(kpis).map((r) => r.category)).toEqual(['apparel', 'home'])
    expect(readReturnsOverTime(kpis)).toEqual([{ t: '2026-10-28', returns: 3, orders: 672 }, { t: '2026-10-29', returns: 5, orders: 600 }])
  })
  it('reasons: the totals, not the per-category breakdown', () => {
    const r = { window: '30d', totals: [{ reason: 'size_too_small', units: 605, lines: 605, share: 0.19 }, { reason: 'defective', units: 346, lines: 346, share: 0.1 }],
      byCategory: [{ category: 'apparel', units: 1760, reasons: [{ reason: 'size_too_small', units: 466 }] }] }
    expect(readReasonMix(r)).toEqual([{ key: 'size_too_small', count: 605 }, { key: 'defective', count: 346 }])
  })
  it('turnaround: stage percentiles, customer-facing stage first', () => {
    const t = readTurnaround({ window: '30d', stages: [
      { stage: 'request_to_made_whole', n: 2525, avgHours: 64.5, p50Hours: 63.33, p90Hours: 98.42, p99Hours: 137.07 },
      { stage: 'request_to_received', n: 2467, avgHours: 53.4, p50Hours: 49.37, p90Hours: 83.79, p99Hours: 119.27 }], byWarehouse: [] })
    expect(t.buckets).toEqual([])
    expect(t.stages).toEqual([
      { stage: 'request_to_received', n: 2467, p50: 49.37, p90: 83.79, p99: 119.27 },
      { stage: 'request_to_made_whole', n: 2525, p50: 63.33, p90: 98.42, p99: 137.07 }])
  })
  it('turnaround per warehouse: made-whole rows only, keep-it as its own "no warehouse" group', () => {
    const t = readTurnaround({ stages: [], byWarehouse: [
      { stage: 'request_to_received', n: 9, p50Hours: 20, p90Hours: 30, receivingNodeId: 'WH-A', warehouse: 'node' },
      { stage: 'request_to_made_whole', n: 3, p50Hours: 1.5, p90Hours: 2, receivingNodeId: null, warehouse: 'none' },
      { stage: 'request_to_made_whole', n: 9, p50Hours: 60, p90Hours: 90, receivingNodeId: 'WH-A', warehouse: 'node' },
      { stage: 'request_to_made_whole', n: 1, p50Hours: 5, p90Hours: 5, receivingNodeId: null, warehouse: 'unknown' }] })
    expect(t.byWarehouse).toEqual([
      { node: 'WH-A', group: 'node', n: 9, p50: 60, p90: 90 },
      { node: null, group: 'none', n: 3, p50: 1.5, p90: 2 },
      { node: null, group: 'unknown', n: 1, p50: 5, p90: 5 }])
  })
  it('SKU detail: dispositions counted in lines (not shares), anomaly with its reference rate', () => {
    expect(readCounts([{ disposition: 'return_to_vendor', lines: 79, share: 0.56, netCost: 1, recovery: 2 }, { disposition: 'restock_new', lines: 12, share: 0.08 }], ['disposition']))
      .toEqual([{ key: 'return_to_vendor', count: 79 }, { key: 'restock_new', count: 12 }])
    expect(readSkuPage({ items: [{ sku: 'EL-0050', category: 'electronics', unitsSold: 798, unitsReturned: 141, returnRate: 0.18, topReasons: [{ reason: 'defective', units: 91, share: 0.65 }], netCost: 17085.58,
      anomaly: { id: 'a1', kind: 'above_category', referenceRate: 0.0816, since: 'x' } }], total: 1 }).rows[0])
      .toMatchObject({ sku: 'EL-0050', topReasons: ['defective'], anomaly: true, anomalyNote: 'above_category', anomalyReference: 0.0816 })
  })
  it('anomalies: rate against the reference rate, first seen time', () => {
    expect(readAlert({ id: 'spike:EL-0050:1', sku: 'EL-0050', category: 'electronics', kind: 'spike', active: true, firstSeenAt: '2026-11-26T04:06:43.790Z', rate: 0.449, referenceRate: 0.1, evidence: { z: 3 } }, 'f'))
      .toEqual({ id: 'spike:EL-0050:1', sku: 'EL-0050', category: 'electronics', rate: 0.449, baseline: 0.1, kind: 'spike', at: '2026-11-26T04:06:43.790Z' })
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
  // The shape of POST /api/v1/weights/preview (server/contracts/preview.ts).
  const side = (totalNetCost: number, medianWaitHours: number, resolutionMix: Record<string, number>) => ({
    lines: 10, totalNetCost, meanNetCost: totalNetCost / 10, meanWaitHours: medianWaitHours + 2, medianWaitHours, totalCo2Kg: 5, totalScore: 1,
    resolutionMix, dispositionMix: { restock_new: 10 }, inboundModeMix: { courier_pickup: 7, drop_off: 3 },
  })
  const path = (inboundMode: string, netCost: number) => ({ resolution: 'refund', inboundMode, receivingNodeId: 'WH-RC', exchangeSourceNodeId: null, disposition: 'restock_new', netCost, waitHours: 8, co2Kg: 0.4 })
  const resp = {
    requests: 8, lines: 10, changed: 3, currentVersion: 4,
    before: side(1000, 8, { refund: 8, exchange: 2 }), after: side(900, 26, { refund: 7, exchange: 3 }),
    delta: { totalNetCost: -100, perReturnNetCost: -12.5, meanWaitHours: 18, medianWaitHours: 18, totalCo2Kg: 0 },
    sample: [{ rmaId: 'R1', lineIndex: 0, sku: 'AP-1', before: path('courier_pickup', 60), after: path('drop_off', 50) }, { nothing: true }],
    timings: { loadMs: 1, decideMs: 2 },
  }
  it('reads the real answer and skips malformed samples', () => {
    const p = readPreview(resp)
    expect(p).toMatchObject({
      requests: 8, lines: 10, changed: 3, currentVersion: 4,
      current: { totalNetCost: 1000, perReturnNetCost: 125, medianWaitHours: 8, resolutionMix: { refund: 8 }, inboundModeMix: { drop_off: 3 } },
      candidate: { totalNetCost: 900, perReturnNetCost: 112.5, medianWaitHours: 26 },
      delta: { totalNetCost: -100, perReturnNetCost: -12.5, medianWaitHours: 18 },
    })
    expect(p.sample).toHaveLength(1)
    expect(p.sample[0]).toMatchObject({ rmaId: 'R1', sku: 'AP-1', before: { inboundMode: 'courier_pickup', netCost: 60 }, after: { inboundMode: 'drop_off', netCost: 50, waitHours: 8 } })
  })
  it('tolerates an empty answer', () => {
    const p = readPreview({})
    expect(p).toMatchObject({ requests: undefined, changed: undefined, current: { resolutionMix: {}, inboundModeMix: {} }, candidate: { dispositionMix: {} }, delta: {}, sample: [] })
    expect(p.current.totalNetCost).toBeUndefined()
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
