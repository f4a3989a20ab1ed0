// What-if preview: reading the answer defensively and the option builders for its deltas.
import { isNum, pickNumber, pickString, at, type Json } from './read'
import { axisLine, colors, grid, splitLine, textStyle, tooltip, type Fmt } from './theme'

export interface PreviewTotals {
  totalNetCost?: number
  meanNetCost?: number
  /** Total net cost over the re-decided requests (a request may have several lines). */
  perReturnNetCost?: number
  meanWaitHours?: number
  medianWaitHours?: number
  totalCo2Kg?: number
  resolutionMix: Record<string, number>
  dispositionMix: Record<string, number>
  inboundModeMix: Record<string, number>
}
export interface PathSnapshot {
  resolution?: string
  inboundMode?: string
  receivingNodeId?: string | null
  disposition?: string
  netCost?: number
  waitHours?: number
  co2Kg?: number
}
export interface PreviewSample { rmaId: string; lineIndex?: number; sku?: string; before: PathSnapshot; after: PathSnapshot }
/**
 * POST /api/v1/weights/preview as the dashboard uses it (server/contracts/preview.ts:
 * `{requests, lines, changed, currentVersion, before, after, delta, sample}`).
 */
export interface Preview {
  requests?: number
  lines?: number
  changed?: number
  currentVersion?: number
  current: PreviewTotals
  candidate: PreviewTotals
  delta: { totalNetCost?: number; perReturnNetCost?: number; meanWaitHours?: number; medianWaitHours?: number; totalCo2Kg?: number }
  sample: PreviewSample[]
}

export const PREVIEW_METRICS = ['totalNetCost', 'perReturnNetCost', 'meanWaitHours', 'medianWaitHours', 'totalCo2Kg'] as const
export type PreviewMetric = (typeof PREVIEW_METRICS)[number]

function readMix(v: Json): Record<string, number> {
  const out: Record<string, number> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, n] of Object.entries(v as Record<string, Json>)) if (isNum(n)) out[k] = n
  }
  return out
}

function readTotals(v: Json, requests: number | undefined): PreviewTotals {
  const total = pickNumber(v, ['totalNetCost'])
  return {
    totalNetCost: total,
    meanNetCost: pickNumber(v, ['meanNetCost']),
    perReturnNetCost: total !== undefined && requests ? total / requests : undefined,
    meanWaitHours: pickNumber(v, ['meanWaitHours']),
    medianWaitHours: pickNumber(v, ['medianWaitHours']),
    totalCo2Kg: pickNumber(v, ['totalCo2Kg']),
    resolutionMix: readMix(at(v, 'resolutionMix')),
    dispositionMix: readMix(at(v, 'dispositionMix')),
    inboundModeMix: readMix(at(v, 'inboundModeMix')),
  }
}

function readPath(v: Json): PathSnapshot {
  return {
    resolution: pickString(v, ['resolution']),
    inboundMode: pickString(v, ['inboundMode']),
    receivingNodeId: pickString(v, ['receivingNodeId']) ?? null,
    disposition: pickString(v, ['disposition']),
    netCost: pickNumber(v, ['netCost']),
    waitHours: pickNumber(v, ['waitHours']),
    co2Kg: pickNumber(v, ['co2Kg']),
  }
}

/** Reads the preview answer; a missing field shows as "—" instead of breaking the panel. */
export function readPreview(resp: Json): Preview {
  const sampleRaw = at(resp, 'sample')
  const sample: PreviewSample[] = []
  if (Array.isArray(sampleRaw)) {
    for (const s of sampleRaw) {
      const rmaId = pickString(s, ['rmaId'])
      if (!rmaId) continue
      sample.push({ rmaId, lineIndex: pickNumber(s, ['lineIndex']), sku: pickString(s, ['sku']), before: readPath(at(s, 'before')), after: readPath(at(s, 'after')) })
    }
  }
  const requests = pickNumber(resp, ['requests'])
  const d = at(resp, 'delta')
  return {
    requests,
    lines: pickNumber(resp, ['lines']),
    changed: pickNumber(resp, ['changed']),
    currentVersion: pickNumber(resp, ['currentVersion']),
    current: readTotals(at(resp, 'before'), requests),
    candidate: readTotals(at(resp, 'after'), requests),
    delta: {
      totalNetCost: pickNumber(d, ['totalNetCost']),
      perReturnNetCost: pickNumber(d, ['perReturnNetCost']),
      meanWaitHours: pickNumber(d, ['meanWaitHours']),
      medianWaitHours: pickNumber(d, ['medianWaitHours']),
      totalCo2Kg: pickNumber(d, ['totalCo2Kg']),
    },
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
    // Every metric named under its bar (wrapping), none hidden for overlap.
    xAxis: { type: 'category', data: data.map((d) => d.label), axisLine, axisTick: { show: false }, axisLabel: { interval: 0, width: 96, overflow: 'break', fontSize: 11 } },
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
    // Narrow charts side by side: few ticks, or the percentages run into each other.
    xAxis: { type: 'value', splitLine, splitNumber: 2, max: (v: { max: number }) => Math.min(1, Math.ceil(v.max * 10) / 10 || 0.1), axisLabel: { formatter: (v: number) => pct(v), hideOverlap: true, fontSize: 11 } },
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
