// SKU table rows, SKU detail and anomaly alerts: defensive readers + the trend chart builder.
import { at, isNum, itemsOf, pickArray, pickNumber, pickString, type Json } from './read'
import { axisLine, colors, grid, splitLine, textStyle, tooltip, type Fmt } from './theme'

export interface SkuRow {
  sku: string
  category?: string
  unitsSold?: number
  unitsReturned?: number
  returnRate?: number
  netCost?: number
  topReasons: string[]
  anomaly: boolean
  anomalyNote?: string
  /** The rate the anomaly was measured against (rest of the category, or the SKU's own past). */
  anomalyReference?: number
}

/** topReasons as reason codes, whether the API sends strings or objects. */
export function readTopReasons(v: Json): string[] {
  if (!Array.isArray(v)) return []
  return v.map((r) => (typeof r === 'string' ? r : pickString(r, ['reason', 'key', 'name']))).filter((r): r is string => !!r)
}

function readAnomaly(v: Json): { anomaly: boolean; note?: string; reference?: number } {
  if (v === true) return { anomaly: true }
  if (!v || typeof v !== 'object') return { anomaly: false }
  return { anomaly: true, note: pickString(v, ['kind', 'type', 'reason', 'rule']), reference: pickNumber(v, ['referenceRate']) }
}

export function readSkuRow(r: Json): SkuRow | null {
  const sku = pickString(r, ['sku'])
  if (!sku) return null
  const a = readAnomaly(at(r, 'anomaly'))
  return {
    sku,
    category: pickString(r, ['category']),
    unitsSold: pickNumber(r, ['unitsSold']),
    unitsReturned: pickNumber(r, ['unitsReturned']),
    returnRate: pickNumber(r, ['returnRate']),
    netCost: pickNumber(r, ['netCost', 'cost.netCost', 'cost.net', 'costTotal']),
    topReasons: readTopReasons(at(r, 'topReasons')),
    anomaly: a.anomaly,
    anomalyNote: a.note,
    anomalyReference: a.reference,
  }
}

export function readSkuPage(resp: Json): { rows: SkuRow[]; total: number } {
  const rows = itemsOf(resp).map(readSkuRow).filter((r): r is SkuRow => r !== null)
  return { rows, total: pickNumber(resp, ['total', 'count']) ?? rows.length }
}

export interface Alert { id: string; sku?: string; category?: string; rate?: number; baseline?: number; kind?: string; at?: string }

export function readAlert(v: Json, fallbackId: string): Alert {
  const sku = pickString(v, ['sku', 'evidence.sku'])
  const kind = pickString(v, ['kind', 'type', 'rule'])
  return {
    id: pickString(v, ['id', 'anomalyId', 'alertId']) ?? `${sku ?? '?'}-${kind ?? ''}-${fallbackId}`,
    sku,
    category: pickString(v, ['category', 'evidence.category']),
    rate: pickNumber(v, ['returnRate', 'rate', 'evidence.returnRate', 'evidence.rate', 'evidence.rate7d']),
    baseline: pickNumber(v, ['referenceRate', 'evidence.referenceRate', 'baselineRate', 'categoryRate', 'baseline', 'evidence.categoryRate', 'evidence.baselineRate', 'evidence.rate30d']),
    kind,
    at: pickString(v, ['firstSeenAt', 'detectedAt', 'at', 'createdAt', 'occurredAt']),
  }
}

// ---- SKU detail -------------------------------------------------------------------------

export interface TrendPoint { t: string; rate?: number; categoryRate?: number }

export function readSkuTrend(resp: Json): TrendPoint[] {
  const arr = pickArray(resp, ['trend', 'series', 'daily']) ?? []
  const out: TrendPoint[] = []
  for (const r of arr) {
    const t = pickString(r, ['t', 'date', 'day', 'bucket', 'week'])
    if (!t) continue
    const sold = pickNumber(r, ['unitsSold'])
    const returned = pickNumber(r, ['unitsReturned'])
    const rate = pickNumber(r, ['returnRate', 'rate', 'skuRate']) ?? (sold && returned !== undefined ? returned / sold : undefined)
    out.push({ t, rate, categoryRate: pickNumber(r, ['categoryRate', 'categoryReturnRate', 'category']) })
  }
  return out.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
}

/** Counts by key from `[{reason|disposition|key, count}]` or `{key: count}`. */
export function readCounts(v: Json, keyNames: string[]): { key: string; count: number }[] {
  const out: { key: string; count: number }[] = []
  if (Array.isArray(v)) {
    for (const r of v) {
      const key = pickString(r, [...keyNames, 'key', 'name'])
      // units (reasons) or lines (dispositions, resolutions) before any share
      const count = pickNumber(r, ['count', 'units', 'lines', 'returns', 'n', 'value', 'share'])
      if (key && count !== undefined) out.push({ key, count })
    }
  } else if (v && typeof v === 'object') {
    for (const [key, count] of Object.entries(v as Record<string, Json>)) if (isNum(count)) out.push({ key, count })
  }
  return out.sort((a, b) => b.count - a.count)
}

export function skuTrendOption(points: TrendPoint[], names: { sku: string; category: string }, pct: Fmt, formatT: (t: string) => string = (t) => t) {
  if (!points.some((p) => p.rate !== undefined || p.categoryRate !== undefined)) return null
  const hasCategory = points.some((p) => p.categoryRate !== undefined)
  return {
    textStyle, color: [colors.sku, colors.category], grid: { ...grid, top: 32 },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    tooltip: { ...tooltip, valueFormatter: (v: number) => pct(v) },
    xAxis: { type: 'category', data: points.map((p) => formatT(p.t)), axisLine, axisTick: { show: false }, boundaryGap: false },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => pct(v) } },
    series: [
      { name: names.sku, type: 'line', smooth: true, symbolSize: 5, lineStyle: { width: 2.5 }, data: points.map((p) => p.rate ?? null), connectNulls: true },
      ...(hasCategory ? [{ name: names.category, type: 'line', smooth: true, symbol: 'none', lineStyle: { width: 1.5, type: 'dashed' }, data: points.map((p) => p.categoryRate ?? null), connectNulls: true }] : []),
    ],
  }
}
