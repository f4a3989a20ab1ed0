// The backtest page's chart: net cost per month, revnav next to the baseline. Pure.
import { axisLine, colors, grid, palette, splitLine, textStyle, tooltip, type Fmt } from './theme'

export interface BacktestSide { netCost: number; avgWaitHours: number | null; wishesHonoured: number | null }
export interface BacktestFigures { lines: number; navigator: BacktestSide; baseline: BacktestSide; delta: BacktestSide }
export interface Backtest {
  from: string; to: string
  totals: BacktestFigures
  byCategory: (BacktestFigures & { category: string })[]
  byMonth: (BacktestFigures & { month: string })[]
}

/** Bars per month (baseline grey, revnav blue); null when no month has a decided line. */
export function backtestMonthsOption(months: Backtest['byMonth'], labels: { navigator: string; baseline: string }, money: Fmt, monthLabel: (m: string) => string = (m) => m) {
  if (!months.length) return null
  return {
    color: [colors.before, palette[0]], textStyle, grid: { ...grid, top: 32 },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => money(v) },
    xAxis: { type: 'category', data: months.map((m) => monthLabel(m.month)), axisLine, axisTick: { show: false }, axisLabel: { hideOverlap: true, fontSize: 11 } },
    yAxis: { type: 'value', splitLine, axisLabel: { formatter: (v: number) => money(v) } },
    series: [
      { name: labels.baseline, type: 'bar', barMaxWidth: 22, data: months.map((m) => m.baseline.netCost) },
      { name: labels.navigator, type: 'bar', barMaxWidth: 22, data: months.map((m) => m.navigator.netCost) },
    ],
  }
}
