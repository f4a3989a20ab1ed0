// The backtest: what the navigator decided against what the baseline (the one each
// decision carries) would have, over a period — net cost, time to resolution, wishes
// honoured — in total, by category and by month (sql/queries/backtest.sql).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { namedQuery, query } from './query.js'

const Row = z.looseObject({
  month: z.string(), category: z.string(), lines: z.coerce.number(), net_cost: z.coerce.number(), baseline_net_cost: z.coerce.number(),
  wait_hours: z.coerce.number(), baseline_wait_hours: z.coerce.number(), with_wish: z.coerce.number(), honoured: z.coerce.number(), baseline_honoured: z.coerce.number(),
})
type Row = z.infer<typeof Row>

export interface BacktestFigures {
  lines: number
  navigator: { netCost: number; avgWaitHours: number | null; wishesHonoured: number | null }
  baseline: { netCost: number; avgWaitHours: number | null; wishesHonoured: number | null }
  /** navigator − baseline: negative net cost is money saved. */
  delta: { netCost: number; avgWaitHours: number | null; wishesHonoured: number | null }
}
export interface Backtest {
  from: string; to: string
  totals: BacktestFigures
  byCategory: (BacktestFigures & { category: string })[]
  byMonth: (BacktestFigures & { month: string })[]
}

const n = (v: number | string) => Number(v)
const r2 = (v: number) => Math.round(v * 100) / 100
const r4 = (v: number) => Math.round(v * 10_000) / 10_000

function figures(rows: Row[]): BacktestFigures {
  let lines = 0, cost = 0, bCost = 0, wait = 0, bWait = 0, wish = 0, hon = 0, bHon = 0
  for (const r of rows) {
    lines += n(r.lines); cost += n(r.net_cost); bCost += n(r.baseline_net_cost)
    wait += n(r.wait_hours); bWait += n(r.baseline_wait_hours)
    wish += n(r.with_wish); hon += n(r.honoured); bHon += n(r.baseline_honoured)
  }
  const avg = (x: number) => (lines ? r2(x / lines) : null)
  const share = (x: number) => (wish ? r4(x / wish) : null)
  const navigator = { netCost: r2(cost), avgWaitHours: avg(wait), wishesHonoured: share(hon) }
  const baseline = { netCost: r2(bCost), avgWaitHours: avg(bWait), wishesHonoured: share(bHon) }
  const diff = (a: number | null, b: number | null, round: (x: number) => number) => (a === null || b === null ? null : round(a - b))
  return {
    lines, navigator, baseline,
    delta: { netCost: r2(cost - bCost), avgWaitHours: diff(navigator.avgWaitHours, baseline.avgWaitHours, r2), wishesHonoured: diff(navigator.wishesHonoured, baseline.wishesHonoured, r4) },
  }
}

function groupBy<K extends 'category' | 'month'>(rows: Row[], key: K): (BacktestFigures & Record<K, string>)[] {
  const groups = new Map<string, Row[]>()
  for (const r of rows) groups.set(r[key], [...(groups.get(r[key]) ?? []), r])
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => ({ [key]: k, ...figures(rs) }) as BacktestFigures & Record<K, string>)
}

export async function readBacktest(client: ClickHouseClient, range: { from: string; to: string }): Promise<Backtest> {
  const rows = await query(client, { query: namedQuery('backtest'), params: range, tag: 'api.backtest', schema: Row })
  return { ...range, totals: figures(rows), byCategory: groupBy(rows, 'category'), byMonth: groupBy(rows, 'month') }
}
