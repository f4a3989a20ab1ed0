// Option builders for the overview charts: pure functions of data (+ label/format callbacks).
import type { Bucket, CategoryRate, CountBy, Flows, StagePercentiles, TimePoint } from './read'
import { axisLine, colors, grid, itemTooltip, palette, plain, splitLine, textStyle, tooltip, type Fmt } from './theme'

export interface SeriesLabels { returns: string; orders: string }

export function returnsOverTimeOption(points: TimePoint[], labels: SeriesLabels, formatTime: (t: string) => string = (t) => t) {
  if (!points.length) return null
  const hasOrders = points.some((p) => p.orders !== undefined)
  return {
    color: palette, textStyle, grid: { ...grid, top: hasOrders ? 32 : 16 }, tooltip,
    legend: hasOrders ? { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } } : undefined,
    xAxis: { type: 'category', data: points.map((p) => formatTime(p.t)), axisLine, axisTick: { show: false }, boundaryGap: false },
    yAxis: [
      { type: 'value', splitLine, minInterval: 1 },
      ...(hasOrders ? [{ type: 'value', splitLine: { show: false }, minInterval: 1 }] : []),
    ],
    series: [
      { name: labels.returns, type: 'line', smooth: true, symbol: 'none', areaStyle: { opacity: 0.12 }, lineStyle: { width: 2 }, data: points.map((p) => p.returns) },
      ...(hasOrders ? [{ name: labels.orders, type: 'line', smooth: true, symbol: 'none', yAxisIndex: 1, lineStyle: { width: 1.5, type: 'dashed' }, data: points.map((p) => p.orders ?? null) }] : []),
    ],
  }
}

/** Horizontal bars, largest first at the top: easier to read than a pie with ten slices. */
export function countBarsOption(rows: CountBy[], labelOf: (key: string) => string, valueName: string, fmt: Fmt = plain) {
  if (!rows.length) return null
  const top = rows.slice(0, 12).reverse()
  return {
    color: palette, textStyle, grid: { ...grid, top: 8 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => fmt(v) },
    // The bars are labelled; a few ticks are enough on the value axis.
    xAxis: { type: 'value', splitLine, minInterval: 1, splitNumber: 3, axisLabel: { formatter: (v: number) => fmt(v), hideOverlap: true } },
    yAxis: { type: 'category', data: top.map((r) => labelOf(r.key)), axisLine, axisTick: { show: false } },
    series: [{ name: valueName, type: 'bar', barMaxWidth: 18, itemStyle: { borderRadius: [0, 3, 3, 0] }, data: top.map((r) => r.count),
      label: { show: true, position: 'right', fontSize: 11, color: '#475467', formatter: (p: { value: number }) => fmt(p.value) } }],
  }
}

export function categoryRateOption(rows: CategoryRate[], labelOf: (category: string) => string, rateName: string, pct: Fmt) {
  if (!rows.length) return null
  return {
    color: [palette[1]], textStyle, grid: { ...grid, top: 20 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => pct(v) },
    // Long names (English) would run into each other under narrow bars: tilt them a little.
    xAxis: { type: 'category', data: rows.map((r) => labelOf(r.category)), axisLine, axisTick: { show: false },
      axisLabel: { interval: 0, hideOverlap: false, fontSize: 11, rotate: rows.length > 3 && rows.some((r) => labelOf(r.category).length > 8) ? 20 : 0 } },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => pct(v) } },
    series: [{ name: rateName, type: 'bar', barMaxWidth: 36, itemStyle: { borderRadius: [3, 3, 0, 0] }, data: rows.map((r) => r.rate),
      label: { show: true, position: 'top', fontSize: 11, color: '#475467', formatter: (p: { value: number }) => pct(p.value) } }],
  }
}

export interface Percentiles { p50?: number; p90?: number; p99?: number }

/** Histogram of turnaround; when the API gives only percentiles, those are drawn as bars instead. */
export function turnaroundOption(buckets: Bucket[], percentiles: Percentiles, countName: string, hours: Fmt) {
  if (buckets.length) {
    return {
      color: [palette[2]], textStyle, grid: { ...grid, top: 16 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: buckets.map((b) => b.label), axisLine, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', splitLine, minInterval: 1 },
      series: [{ name: countName, type: 'bar', barCategoryGap: '12%', data: buckets.map((b) => b.count) }],
    }
  }
  const entries = (['p50', 'p90', 'p99'] as const).filter((k) => percentiles[k] !== undefined)
  if (!entries.length) return null
  return {
    color: [palette[2]], textStyle, grid: { ...grid, top: 20 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => hours(v) },
    xAxis: { type: 'category', data: entries, axisLine, axisTick: { show: false } },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => hours(v) } },
    series: [{ type: 'bar', barMaxWidth: 48, data: entries.map((k) => percentiles[k]),
      label: { show: true, position: 'top', fontSize: 11, formatter: (p: { value: number }) => hours(p.value) } }],
  }
}

/** Percentiles of each turnaround stage (the API gives percentiles, not a histogram): one group per stage. */
export function turnaroundStagesOption(stages: StagePercentiles[], labelOf: (stage: string) => string, hours: Fmt, days: Fmt = hours) {
  const rows = stages.filter((s) => s.p50 !== undefined || s.p90 !== undefined || s.p99 !== undefined)
  if (!rows.length) return null
  const keys = (['p50', 'p90', 'p99'] as const).filter((k) => rows.some((r) => r[k] !== undefined))
  // Ticks on whole days once the bars pass two days (turnaround is usually days long).
  const max = Math.max(...rows.flatMap((r) => keys.map((k) => r[k] ?? 0)))
  const dayAxis = max > 48
  const yAxis = dayAxis
    ? { type: 'value', splitLine, interval: 24 * Math.max(1, Math.ceil(max / 24 / 5)), axisLabel: { formatter: (v: number) => days(v) } }
    : { type: 'value', splitLine, axisLabel: { formatter: (v: number) => hours(v) } }
  return {
    color: [palette[0], palette[2], palette[3]], textStyle, grid: { ...grid, top: 32 },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => hours(v) },
    xAxis: { type: 'category', data: rows.map((r) => labelOf(r.stage)), axisLine, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis,
    series: keys.map((k) => ({
      name: k, type: 'bar', barMaxWidth: 36, data: rows.map((r) => r[k] ?? null),
      label: { show: true, position: 'top', fontSize: 10, color: '#475467', formatter: (p: { value: number }) => hours(p.value) },
    })),
  }
}

/**
 * Width in px of a label at `fontSize`: CJK and full-width characters take about a whole
 * em, Latin about 0.6 of one (ECharts measures text only once the chart exists; the
 * margins are needed before).
 */
export function labelWidth(text: string, fontSize: number): number {
  let w = 0
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? fontSize : fontSize * 0.62
  return Math.ceil(w)
}

const FLOW_LABEL_SIZE = 11
/** A node's column from its name's prefix (reason:, resolution:, disposition:). */
const flowLayer = (name: string) => name.slice(0, name.indexOf(':'))

/**
 * Reason → resolution → disposition. The chart spans the card: the first column's labels
 * sit left of their nodes and the last column's right of theirs, each in a margin as wide
 * as its longest label (in the language shown), so no label is cut; the middle labels sit
 * right of their nodes on a light backing that keeps them readable over the links.
 */
export function flowsSankeyOption(flows: Flows, labelOf: (name: string) => string, fmt: Fmt = plain) {
  if (!flows.links.length) return null
  const margin = (layer: string) => Math.max(0, ...flows.nodes.filter((n) => flowLayer(n.name) === layer).map((n) => labelWidth(labelOf(n.name), FLOW_LABEL_SIZE)))
  const position = (name: string) => (flowLayer(name) === 'reason' ? 'left' : 'right')
  return {
    color: palette, textStyle,
    tooltip: { ...itemTooltip, formatter: (p: { dataType: string; name: string; value: number; data: { source?: string; target?: string } }) =>
      p.dataType === 'edge' ? `${labelOf(p.data.source ?? '')} → ${labelOf(p.data.target ?? '')}: ${fmt(p.value)}` : `${labelOf(p.name)}: ${fmt(p.value)}` },
    series: [{
      // Small nodes need the gap (and the card its height) to keep neighbouring labels
      // apart; a label that would still overlap one is hidden (the tooltip names every node).
      type: 'sankey', left: margin('reason') + 12, right: margin('disposition') + 12, top: 8, bottom: 8,
      nodeWidth: 12, nodeGap: 12, draggable: false,
      labelLayout: { hideOverlap: true },
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
      label: { fontSize: FLOW_LABEL_SIZE, color: '#17202c', formatter: (p: { name: string }) => labelOf(p.name) },
      data: flows.nodes.map((n) => ({
        name: n.name,
        label: flowLayer(n.name) === 'resolution'
          ? { position: 'right', backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3], borderRadius: 2 }
          : { position: position(n.name) },
      })),
      links: flows.links,
    }],
  }
}
