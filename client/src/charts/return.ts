// Explaining one decision: factor breakdown chart, flip points in words, re-route chains.
import type { Alternative, Decision } from '../types'
import { axisLine, grid, palette, splitLine, textStyle, tooltip, type Fmt } from './theme'

type Path = Pick<Alternative, 'resolution' | 'inboundMode' | 'receivingNodeId' | 'disposition' | 'exchangeSourceNodeId' | 'refundTiming' | 'advanceExchange'>
type Tx = (prefix: string, value: string) => string

export interface BreakdownSeries { name: string; breakdown: Record<string, number> }

/** Grouped bars: one group per factor, one bar per path (chosen first). Factors ordered by the chosen path's magnitude. */
export function breakdownOption(paths: BreakdownSeries[], factorLabel: (f: string) => string, money: Fmt) {
  if (!paths.length) return null
  const factors = [...new Set(paths.flatMap((p) => Object.keys(p.breakdown ?? {})))]
  if (!factors.length) return null
  const chosen = paths[0].breakdown ?? {}
  factors.sort((a, b) => Math.abs(chosen[b] ?? 0) - Math.abs(chosen[a] ?? 0))
  return {
    textStyle, color: palette, grid: { ...grid, top: 32 },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => money(v) },
    xAxis: { type: 'category', data: factors.map(factorLabel), axisLine, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 11, width: 64, overflow: 'break' } },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => money(v) } },
    series: paths.map((p, i) => ({
      name: p.name, type: 'bar', barMaxWidth: 16, barGap: '10%',
      itemStyle: i === 0 ? { borderRadius: 2 } : { borderRadius: 2, opacity: 0.75 },
      data: factors.map((f) => p.breakdown?.[f] ?? 0),
    })),
  }
}

/** The most telling difference between two paths, as a label ("Drop-off", "Exchange", "NODE-3"). */
export function describePathDifference(chosen: Path, alt: Path, tx: Tx): string {
  if (alt.resolution !== chosen.resolution) return tx('resolution', alt.resolution)
  if (alt.inboundMode !== chosen.inboundMode) return tx('mode', alt.inboundMode)
  if (alt.disposition !== chosen.disposition) return tx('disposition', alt.disposition)
  if (alt.receivingNodeId !== chosen.receivingNodeId) return alt.receivingNodeId ?? tx('mode', 'none')
  if (alt.exchangeSourceNodeId !== chosen.exchangeSourceNodeId) return alt.exchangeSourceNodeId ?? '—'
  // The same route paid or shipped at another moment (decisions stored before timing lack it).
  if (alt.refundTiming && alt.refundTiming !== chosen.refundTiming) return tx('refundTiming', alt.refundTiming)
  if (alt.advanceExchange !== undefined && alt.advanceExchange !== chosen.advanceExchange) return tx('advanceExchange', String(alt.advanceExchange))
  return tx('resolution', alt.resolution)
}

/**
 * Decimals to show a weight with: two, whole numbers from 10, and two significant digits
 * below 0.01 — a flip point at 0.00027 rounded to "0" read as "falls below 0", which no
 * weight can.
 */
export function weightDigits(v: number): number {
  if (v >= 10) return 0
  if (v > 0 && v < 0.01) return Math.min(10, 1 - Math.floor(Math.log10(v)))
  return 2
}

export interface FlipSentence { weight: string; alt: string; direction: 'above' | 'below'; flipsAt: number; current: number }

/**
 * Flip points of the decision, each with the path it flips to (older decisions name none:
 * the runner-up then), closest (relative) first.
 */
export function flipSentences(d: Pick<Decision, 'flipPoints' | 'alternatives' | 'resolution' | 'inboundMode' | 'receivingNodeId' | 'disposition' | 'exchangeSourceNodeId' | 'refundTiming' | 'advanceExchange'>, tx: Tx): FlipSentence[] {
  if (!d.flipPoints?.length) return []
  const runnerUp = d.alternatives?.[0]
  return d.flipPoints
    .filter((f) => Number.isFinite(f.flipsAt) && f.flipsAt >= 0 && (f.to || runnerUp))
    .map((f) => ({ weight: f.weight, alt: describePathDifference(d, (f.to ?? runnerUp)!, tx), direction: f.direction, flipsAt: f.flipsAt, current: f.current }))
    .sort((a, b) => Math.abs(a.flipsAt - a.current) / (Math.abs(a.current) || 1) - Math.abs(b.flipsAt - b.current) / (Math.abs(b.current) || 1))
}

/** Decisions grouped per line, newest first, so each line shows its current path and its re-route history. */
export function decisionsByLine(decisions: Decision[]): { lineIndex: number; current: Decision; history: Decision[] }[] {
  const byLine = new Map<number, Decision[]>()
  for (const d of decisions) {
    const list = byLine.get(d.lineIndex) ?? []
    list.push(d)
    byLine.set(d.lineIndex, list)
  }
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([lineIndex, list]) => {
    const sorted = [...list].sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : a.decidedAt > b.decidedAt ? -1 : 0))
    // Prefer the one nobody supersedes as current (clock ties are possible within a batch).
    const superseded = new Set(sorted.map((d) => d.supersedes).filter(Boolean))
    const current = sorted.find((d) => !superseded.has(d.decisionId)) ?? sorted[0]
    return { lineIndex, current, history: sorted.filter((d) => d !== current) }
  })
}
