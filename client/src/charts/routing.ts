// What-if preview: reading the answer defensively and the option builders for its deltas.
import { isNum, pickNumber, pickString, at, type Json } from './read'
import { axisLine, colors, grid, splitLine, textStyle, tooltip, type Fmt } from './theme'

export interface PreviewTotals {
  totalCost?: number
  avgCost?: number
  medianWaitHours?: number
  totalCo2Kg?: number
  resolutionMix: Record<string, number>
  dispositionMix: Record<string, number>
}
export interface PathSnapshot { resolution?: string; inboundMode?: string; receivingNodeId?: string | null; disposition?: string; score?: number }
export interface PreviewSample { rmaId: string; lineIndex?: number; before: PathSnapshot; after: PathSnapshot }
export interface Preview { n?: number; changed?: number; current: PreviewTotals; candidate: PreviewTotals; sample: PreviewSample[] }

export const PREVIEW_METRICS = ['totalCost', 'avgCost', 'medianWaitHours', 'totalCo2Kg'] as const
export type PreviewMetric = (typeof PREVIEW_METRICS)[number]

function readMix(v: Json): Record<string, number> {
  const out: Record<string, number> = {}
  if (Array.isArray(v)) {
    for (const r of v) {
      const k = pickString(r, ['key', 'name', 'resolution', 'disposition'])
      const n = pickNumber(r, ['count', 'value', 'n', 'share'])
      if (k && n !== undefined) out[k] = n
    }
  } else if (v && typeof v === 'object') {
    for (const [k, n] of Object.entries(v as Record<string, Json>)) if (isNum(n)) out[k] = n
  }
  return out
}

function readTotals(v: Json): PreviewTotals {
  return {
    totalCost: pickNumber(v, ['totalCost', 'netCost', 'cost']),
    avgCost: pickNumber(v, ['avgCost', 'averageCost', 'costPerReturn']),
    medianWaitHours: pickNumber(v, ['medianWaitHours', 'medianWait', 'waitHoursP50']),
    totalCo2Kg: pickNumber(v, ['totalCo2Kg', 'co2Kg', 'co2']),
    resolutionMix: readMix(at(v, 'resolutionMix')),
    dispositionMix: readMix(at(v, 'dispositionMix')),
  }
}

function readPath(v: Json): PathSnapshot {
  return {
    resolution: pickString(v, ['resolution']),
    inboundMode: pickString(v, ['inboundMode']),
    receivingNodeId: pickString(v, ['receivingNodeId']) ?? null,
    disposition: pickString(v, ['disposition']),
    score: pickNumber(v, ['score', 'totals.score']),
  }
}

export function readPreview(resp: Json): Preview {
  const sampleRaw = at(resp, 'sample') ?? at(resp, 'changedSample') ?? at(resp, 'samples')
  const sample: PreviewSample[] = []
  if (Array.isArray(sampleRaw)) {
    for (const s of sampleRaw) {
      const rmaId = pickString(s, ['rmaId'])
      if (!rmaId) continue
      sample.push({ rmaId, lineIndex: pickNumber(s, ['lineIndex']), before: readPath(at(s, 'before')), after: readPath(at(s, 'after')) })
    }
  }
  return {
    n: pickNumber(resp, ['n', 'count', 'redecided']),
    changed: pickNumber(resp, ['changed', 'changedCount']),
    current: readTotals(at(resp, 'current') ?? at(resp, 'before')),
    candidate: readTotals(at(resp, 'candidate') ?? at(resp, 'after')),
    sample,
  }
}

/** Relative change after vs before; undefined when it cannot be computed. */
export function relativeChange(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined
  if (before === 0) return after === 0 ? 0 : undefined
  return (after - before) / Math.abs(before)
}

/**
 * One bar per metric: its relative change. All four are "lower is better", so a fall is
 * green and a rise red — the eye reads the verdict before the numbers.
 */
export function metricDeltaOption(rows: { label: string; before?: number; after?: number }[], pct: Fmt) {
  const data = rows.map((r) => ({ label: r.label, change: relativeChange(r.before, r.after) })).filter((r) => r.change !== undefined) as { label: string; change: number }[]
  if (!data.length) return null
  return {
    textStyle, grid: { ...grid, top: 20, left: 8 },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => (v > 0 ? '+' : '') + pct(v) },
    xAxis: { type: 'category', data: data.map((d) => d.label), axisLine, axisTick: { show: false } },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => pct(v) } },
    series: [{
      type: 'bar', barMaxWidth: 44,
      data: data.map((d) => ({ value: d.change, itemStyle: { color: d.change > 0 ? colors.bad : colors.good, borderRadius: 3 } })),
      label: { show: true, position: 'top', fontSize: 11, formatter: (p: { value: number }) => (p.value > 0 ? '+' : '') + pct(p.value) },
    }],
  }
}

/** Shares of each mix, so counts and shares from the API compare the same way. */
export function toShares(mix: Record<string, number>): Record<string, number> {
  const total = Object.values(mix).reduce((s, v) => s + v, 0)
  if (total <= 0) return {}
  return Object.fromEntries(Object.entries(mix).map(([k, v]) => [k, v / total]))
}

export function mixCompareOption(before: Record<string, number>, after: Record<string, number>, labelOf: (k: string) => string, names: { before: string; after: string }, pct: Fmt) {
  const b = toShares(before)
  const a = toShares(after)
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort((x, y) => (b[y] ?? 0) + (a[y] ?? 0) - (b[x] ?? 0) - (a[x] ?? 0))
  if (!keys.length) return null
  const ordered = keys.slice().reverse()
  return {
    textStyle, color: [colors.before, colors.after], grid: { ...grid, top: 28 },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => pct(v) },
    xAxis: { type: 'value', splitLine, max: (v: { max: number }) => Math.min(1, Math.ceil(v.max * 10) / 10 || 0.1), axisLabel: { formatter: (v: number) => pct(v) } },
    yAxis: { type: 'category', data: ordered.map(labelOf), axisLine, axisTick: { show: false } },
    series: [
      { name: names.before, type: 'bar', barMaxWidth: 12, data: ordered.map((k) => b[k] ?? 0) },
      { name: names.after, type: 'bar', barMaxWidth: 12, data: ordered.map((k) => a[k] ?? 0) },
    ],
  }
}

export interface FieldChange { group: 'weights' | 'policy'; key: string; from: unknown; to: unknown }

/** What changed between two versions' weights and policy (for the history list). */
export function diffSettings(prev: { weights?: Record<string, unknown>; policy?: Record<string, unknown> } | undefined, next: { weights?: Record<string, unknown>; policy?: Record<string, unknown> }): FieldChange[] {
  const out: FieldChange[] = []
  for (const group of ['weights', 'policy'] as const) {
    const a = prev?.[group] ?? {}
    const b = next[group] ?? {}
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push({ group, key, from: a[key], to: b[key] })
    }
  }
  return out
}
