import { describe, expect, it } from 'vitest'
import { categoryRateOption, countBarsOption, flowsSankeyOption, labelWidth, returnsOverTimeOption, turnaroundOption } from '../../../client/src/charts/overview'
import { backtestMonthsOption } from '../../../client/src/charts/backtest'
import { en } from '../../../client/src/i18n/en'
import { zh } from '../../../client/src/i18n/zh'
import { metricDeltaOption, mixCompareOption } from '../../../client/src/charts/routing'
import { skuTrendOption } from '../../../client/src/charts/skus'
import { breakdownOption, decisionsByLine, describePathDifference, flipSentences, weightDigits } from '../../../client/src/charts/return'
import type { Decision } from '../../../server/contracts'

const pct = (v: number) => `${Math.round(v * 100)}%`
const tx = (p: string, v: string) => `${p}:${v}`
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

describe('chart option builders are pure functions of data', () => {
  it('return null for no data so the panel shows its empty state', () => {
    expect(returnsOverTimeOption([], { returns: 'R', orders: 'O' })).toBeNull()
    expect(countBarsOption([], (k) => k, 'n')).toBeNull()
    expect(categoryRateOption([], (k) => k, 'r', pct)).toBeNull()
    expect(turnaroundOption([], {}, 'n', String)).toBeNull()
    expect(flowsSankeyOption({ nodes: [], links: [] }, (n) => n)).toBeNull()
    expect(metricDeltaOption([{ label: 'x' }], pct)).toBeNull()
    expect(mixCompareOption({}, {}, (k) => k, { before: 'b', after: 'a' }, pct)).toBeNull()
    expect(skuTrendOption([{ t: 'x' }], { sku: 's', category: 'c' }, pct)).toBeNull()
    expect(breakdownOption([{ name: 'c', breakdown: {} }], (f) => f, String)).toBeNull()
  })
  it('returns over time: one series, or two axes with orders', () => {
    const o = returnsOverTimeOption([{ t: 'a', returns: 1 }, { t: 'b', returns: 2 }], { returns: 'R', orders: 'O' }) as Any
    expect(o.series).toHaveLength(1)
    expect(o.series[0].data).toEqual([1, 2])
    const o2 = returnsOverTimeOption([{ t: 'a', returns: 1, orders: 10 }], { returns: 'R', orders: 'O' }) as Any
    expect(o2.yAxis).toHaveLength(2)
    expect(o2.series[1]).toMatchObject({ name: 'O', yAxisIndex: 1, data: [10] })
  })
  it('count bars put the largest at the top (category axis is bottom-up) and keep 12', () => {
    const rows = Array.from({ length: 15 }, (_, i) => ({ key: `k${i}`, count: 15 - i }))
    const o = countBarsOption(rows, (k) => k.toUpperCase(), 'n') as Any
    expect(o.yAxis.data).toHaveLength(12)
    expect(o.yAxis.data.at(-1)).toBe('K0')
    expect(o.series[0].data.at(-1)).toBe(15)
  })
  it('turnaround falls back to percentiles', () => {
    const o = turnaroundOption([], { p50: 10, p90: 40 }, 'n', String) as Any
    expect(o.xAxis.data).toEqual(['p50', 'p90'])
    expect(o.series[0].data).toEqual([10, 40])
  })
  it('sankey labels nodes through the callback', () => {
    const o = flowsSankeyOption({ nodes: [{ name: 'reason:defective' }, { name: 'resolution:repair' }], links: [{ source: 'reason:defective', target: 'resolution:repair', value: 3 }] }, (n) => n.split(':')[1]) as Any
    expect(o.series[0].type).toBe('sankey')
    expect(o.series[0].label.formatter({ name: 'reason:defective' })).toBe('defective')
    expect(o.series[0].links).toHaveLength(1)
  })
  it('sankey: margins as wide as the longest first and last label in either language, reasons left of their nodes', () => {
    const nodes = ['reason:damaged_in_transit', 'reason:defective', 'resolution:refund', 'resolution:exchange', 'disposition:outlet_promotion', 'disposition:keep']
    const flows = { nodes: nodes.map((name) => ({ name })), links: [
      { source: nodes[0], target: nodes[2], value: 3 }, { source: nodes[1], target: nodes[3], value: 2 },
      { source: nodes[2], target: nodes[4], value: 3 }, { source: nodes[3], target: nodes[5], value: 2 },
    ] }
    for (const dict of [en, zh] as Record<string, string>[]) {
      const label = (n: string) => dict[n.replace(':', '.')] ?? n
      const s = (flowsSankeyOption(flows, label) as Any).series[0]
      const widest = (layer: string) => Math.max(...nodes.filter((n) => n.startsWith(layer)).map((n) => labelWidth(label(n), 11)))
      expect(s.left).toBeGreaterThanOrEqual(widest('reason:'))
      expect(s.right).toBeGreaterThanOrEqual(widest('disposition:'))
      const byName = Object.fromEntries(s.data.map((d: Any) => [d.name, d.label.position]))
      expect(byName).toEqual({ [nodes[0]]: 'left', [nodes[1]]: 'left', [nodes[2]]: 'right', [nodes[3]]: 'right', [nodes[4]]: 'right', [nodes[5]]: 'right' })
    }
    // A CJK character takes a whole em, a Latin one about 0.6 of it.
    expect(labelWidth('退货', 11)).toBe(22)
    expect(labelWidth('Refund', 10)).toBe(38)
  })
  it('backtest months: baseline then revnav, one bar pair per month', () => {
    expect(backtestMonthsOption([], { navigator: 'n', baseline: 'b' }, String)).toBeNull()
    const side = (netCost: number) => ({ netCost, avgWaitHours: null, wishesHonoured: null })
    const o = backtestMonthsOption([{ month: '2011-01', lines: 2, navigator: side(5), baseline: side(9), delta: side(-4) }], { navigator: 'n', baseline: 'b' }, String) as Any
    expect(o.series.map((x: Any) => [x.name, x.data])).toEqual([['b', [9]], ['n', [5]]])
  })
  it('metric deltas colour falls green and rises red', () => {
    const o = metricDeltaOption([{ label: 'cost', before: 100, after: 80 }, { label: 'wait', before: 10, after: 12 }, { label: 'x', before: undefined, after: 1 }], pct) as Any
    expect(o.xAxis.data).toEqual(['cost', 'wait'])
    expect(o.series[0].data[0].value).toBeCloseTo(-0.2)
    expect(o.series[0].data[0].itemStyle.color).not.toBe(o.series[0].data[1].itemStyle.color)
  })
  it('mix comparison compares shares over the union of keys', () => {
    const o = mixCompareOption({ refund: 8, exchange: 2 }, { refund: 5, repair: 5 }, (k) => k, { before: 'B', after: 'A' }, pct) as Any
    expect([...o.yAxis.data].sort()).toEqual(['exchange', 'refund', 'repair'])
    const i = o.yAxis.data.indexOf('repair')
    expect(o.series[0].data[i]).toBe(0)
    expect(o.series[1].data[i]).toBe(0.5)
  })
  it('sku trend draws the category line only when present', () => {
    expect((skuTrendOption([{ t: 'a', rate: 0.1 }], { sku: 's', category: 'c' }, pct) as Any).series).toHaveLength(1)
    expect((skuTrendOption([{ t: 'a', rate: 0.1, categoryRate: 0.05 }], { sku: 's', category: 'c' }, pct) as Any).series).toHaveLength(2)
  })
  it('breakdown groups factors, ordered by the chosen path', () => {
    const o = breakdownOption([{ name: 'chosen', breakdown: { logistics: 5, wait: 20 } }, { name: 'alt', breakdown: { logistics: 2, co2: 1 } }], (f) => f, String) as Any
    expect(o.xAxis.data).toEqual(['wait', 'logistics', 'co2'])
    expect(o.series[1].data).toEqual([0, 2, 1])
  })
})

const path = { resolution: 'refund', inboundMode: 'courier_pickup', receivingNodeId: 'W1', exchangeSourceNodeId: null, disposition: 'restock_new' } as const
const decision = (over: Partial<Decision>): Decision => ({
  ...path, decisionId: 'd1', rmaId: 'R', lineIndex: 0, sku: 'S', decidedAt: '2025-01-01T00:00:00Z', steps: [],
  totals: { netCost: 1, recovery: 0, waitHours: 1, co2Kg: 0, score: 1 }, breakdown: {}, alternatives: [], rejections: {}, candidates: 1,
  weightsVersion: 1, priority: 0, tasks: [], trackingToken: 't', baseline: { ...path, totals: { netCost: 2, recovery: 0, waitHours: 2, co2Kg: 0, score: 2 } }, ...over,
}) as Decision

describe('decision explanations', () => {
  it('names the most telling difference of the runner-up', () => {
    expect(describePathDifference(path, { ...path, inboundMode: 'drop_off' }, tx)).toBe('mode:drop_off')
    expect(describePathDifference(path, { ...path, resolution: 'exchange', inboundMode: 'drop_off' }, tx)).toBe('resolution:exchange')
    expect(describePathDifference(path, { ...path, receivingNodeId: 'W2' }, tx)).toBe('W2')
    // The same route, paid or shipped at another moment.
    expect(describePathDifference({ ...path, refundTiming: 'receipt' }, { ...path, refundTiming: 'inspection' }, tx)).toBe('refundTiming:inspection')
    expect(describePathDifference({ ...path, advanceExchange: false }, { ...path, advanceExchange: true }, tx)).toBe('advanceExchange:true')
  })
  it('turns flip points into sentences, nearest first', () => {
    const d = decision({
      alternatives: [{ ...path, inboundMode: 'drop_off', totals: { netCost: 1, recovery: 0, waitHours: 1, co2Kg: 0, score: 2 }, breakdown: {} }],
      flipPoints: [{ weight: 'co2', current: 1, flipsAt: 5, direction: 'above' }, { weight: 'wait', current: 1, flipsAt: 0.62, direction: 'below' }, { weight: 'cx', current: 1, flipsAt: -3, direction: 'below' }],
    })
    expect(flipSentences(d, tx)).toEqual([
      { weight: 'wait', alt: 'mode:drop_off', direction: 'below', flipsAt: 0.62, current: 1 },
      { weight: 'co2', alt: 'mode:drop_off', direction: 'above', flipsAt: 5, current: 1 },
    ])
    expect(flipSentences(decision({}), tx)).toEqual([])
  })
  it('shows a flip point near zero with two significant digits, not as 0', () => {
    expect(weightDigits(0.00026599)).toBe(5)
    expect(weightDigits(0.0042)).toBe(4)
    expect(weightDigits(0.14)).toBe(2)
    expect(weightDigits(0)).toBe(2)
    expect(weightDigits(6.97)).toBe(2)
    expect(weightDigits(48.8)).toBe(0)
    expect(Number((0.00026599).toFixed(weightDigits(0.00026599)))).toBe(0.00027)
  })
  it('names the path each flip point flips to, which need not be the runner-up', () => {
    const d = decision({
      alternatives: [{ ...path, inboundMode: 'drop_off', totals: { netCost: 1, recovery: 0, waitHours: 1, co2Kg: 0, score: 2 }, breakdown: {} }],
      flipPoints: [
        { weight: 'co2', current: 1, flipsAt: 2, direction: 'above', to: { ...path, resolution: 'exchange' } },
        { weight: 'wait', current: 1, flipsAt: 0.5, direction: 'below', to: { ...path, inboundMode: 'drop_off' } },
      ],
    })
    expect(flipSentences(d, tx).map((f) => [f.weight, f.alt])).toEqual([['wait', 'mode:drop_off'], ['co2', 'resolution:exchange']])
  })
  it('groups decisions per line with the unsuperseded one current', () => {
    const a = decision({ decisionId: 'a', decidedAt: '2025-01-01T00:00:00Z' })
    const b = decision({ decisionId: 'b', supersedes: 'a', decidedAt: '2025-01-01T00:00:00Z' })
    const c = decision({ decisionId: 'c', lineIndex: 1 })
    const lines = decisionsByLine([a, c, b])
    expect(lines.map((l) => [l.lineIndex, l.current.decisionId, l.history.map((h) => h.decisionId)])).toEqual([[0, 'b', ['a']], [1, 'c', []]])
  })
})

describe('turnaround stages', () => {
  it('groups p50/p90/p99 per stage and ticks whole days past two days', async () => {
    const { turnaroundStagesOption } = await import('../../../client/src/charts/overview')
    const o = turnaroundStagesOption([{ stage: 'a', p50: 40, p90: 80, p99: 130 }, { stage: 'b', p50: 60 }], (s) => s.toUpperCase(), (v) => `${v}h`, (v) => `${v / 24}d`) as any
    expect(o.xAxis.data).toEqual(['A', 'B'])
    expect(o.series.map((s: any) => s.name)).toEqual(['p50', 'p90', 'p99'])
    expect(o.series[2].data).toEqual([130, null])
    expect(o.yAxis.interval).toBe(48)
    expect(o.yAxis.axisLabel.formatter(96)).toBe('4d')
    expect(turnaroundStagesOption([{ stage: 'a' }], String, String)).toBeNull()
  })
})
