// The overview's KPI tiles and series: today, per hour and open returns are live; the
// rest covers a period (a rolling window, 30 days by default, or a day range).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { chDay, chTime, float, floatOrNull, int, intOrNull, text } from '../columns.js'
import { chTimeToIso, namedQuery, query, toChTime } from '../query.js'
import { costSummary, num, ratio, recoveryRate, round, type CostSummary } from './numbers.js'
import { readTurnaroundStages } from './turnaround.js'
import { clampToData, resolveDays, type AnalyticsWindow, type DayRange } from './window.js'

/** The jobs whose snapshots the KPI tiles read (open returns and turnaround, cost, return rates). */
const KPI_JOBS = ['turnaround', 'cost-recovery', 'return-rates']

export interface Kpis {
  asOf: string
  /**
   * As of when the scheduled figures (open returns, turnaround, cost, return rates) were
   * computed: the oldest of their jobs' last good runs; null until each has run once.
   * Returns today and per hour are live.
   */
  snapshotsAsOf: string | null
  today: { returns: number; returnLines: number; unitsReturned: number; returnedValue: number; orderLines: number; unitsSold: number }
  perHour: { hour: string; returns: number; unitsReturned: number; unitsSold: number }[]
  openReturns: { total: number; byStatus: { status: string; returns: number; oldestAt: string }[] }
  /** The period the turnaround, cost, return rate and series cover. */
  window: AnalyticsWindow | 'custom'
  from: string
  to: string
  turnaround: { window: AnalyticsWindow | 'custom'; n: number; p50Hours: number | null; p90Hours: number | null }
  cost: CostSummary & { window: AnalyticsWindow | 'custom'; recoveryRate: number | null; savingsRate: number | null; avgWaitHours: number | null; baselineAvgWaitHours: number | null }
  returnRate: { window: AnalyticsWindow | 'custom'; overall: number | null; unitsSold: number; unitsReturned: number; byCategory: { category: string; unitsSold: number; unitsReturned: number; returnRate: number | null; skus: number | null }[] }
  series: { day: string; returns: number; unitsReturned: number; unitsSold: number; returnRate: number | null }[]
}

// Today's sums are scalar subqueries, and the returned value and lines beside the cost
// sums too: ClickHouse types them Nullable.
const TodayRow = z.object({
  returns: intOrNull, return_lines: intOrNull, units_returned: intOrNull, returned_value: floatOrNull, order_lines: intOrNull, units_sold: intOrNull,
})
const HourRow = z.object({ hour: chTime, returns: int, units_returned: int, units_sold: int })
const OpenRow = z.object({ status: text, returns: int, oldest_at: chTime })
const CostRow = z.object({
  returns: int, net_cost: float, recovery: float, baseline_net_cost: float, logistics: float, handling: float, refunds: float, repair: float,
  wait_hours: float, baseline_wait_hours: float, returned_value: floatOrNull, returned_lines: intOrNull,
})
/** category '' is the total over all categories. */
const RateRow = z.object({ category: text, sold: int, returned: int, skus: int })
const DayRow = z.object({ day: chDay, returns: int, units_returned: int, units_sold: int, return_rate: float })
const SnapshotRow = z.object({ job: text, at: chTime })

/**
 * The KPIs at `now` over a period: a rolling window (return rates from the return-rates
 * snapshot of that window) or a day range (rates from the per-category days).
 */
export async function readKpis(client: ClickHouseClient, now: Date, period: { win: AnalyticsWindow; range?: DayRange } = { win: '30d' }): Promise<Kpis> {
  const asOf = toChTime(now)
  const days = await resolveDays(client, period.win, period.range, now)
  const window = period.range ? 'custom' as const : period.win
  // One point a day from the first data on: a range typed from 1990 is not decades of
  // zeros ('all' starts there already; a rolling window keeps its days, zeros included).
  const seriesDays = period.range ? await clampToData(client, days) : days
  const ratesRead = period.range
    ? { query: namedQuery('kpis-rates-range'), params: { ...days }, tag: 'api.kpis.rates.range', schema: RateRow }
    : { query: namedQuery('kpis-rates'), params: { win: period.win }, tag: 'api.kpis.rates', schema: RateRow }
  const [today, hourly, open, turnaround, cost, rates, series, snapshots] = await Promise.all([
    query(client, { query: namedQuery('kpis-today'), params: { asOf }, tag: 'api.kpis.today', schema: TodayRow }),
    query(client, { query: namedQuery('kpis-hourly'), params: { asOf }, tag: 'api.kpis.hourly', schema: HourRow }),
    query(client, { query: namedQuery('open-returns-read'), tag: 'api.kpis.open', schema: OpenRow }),
    readTurnaroundStages(client, days),
    query(client, { query: namedQuery('kpis-cost'), params: { ...days }, tag: 'api.kpis.cost', schema: CostRow }),
    query(client, ratesRead),
    query(client, { query: namedQuery('kpis-daily'), params: { ...seriesDays }, tag: 'api.kpis.daily', schema: DayRow }),
    query(client, { query: namedQuery('kpis-snapshots-at'), params: { jobs: KPI_JOBS }, tag: 'api.kpis.snapshots-at', schema: SnapshotRow }),
  ])
  const t: Partial<z.infer<typeof TodayRow>> = today[0] ?? {}
  const c: Partial<z.infer<typeof CostRow>> = cost[0] ?? {}
  const summary = costSummary(c)
  const made = turnaround.find((s) => s.stage === 'request_to_made_whole')
  const overall = rates.find((r) => r.category === '')
  const sold = num(overall?.sold), returned = num(overall?.returned)
  const snapshotTimes = snapshots.map((r) => chTimeToIso(r.at)).sort()
  return {
    asOf: now.toISOString(),
    window, from: days.from, to: days.to,
    snapshotsAsOf: snapshotTimes.length === KPI_JOBS.length ? snapshotTimes[0] : null,
    today: {
      returns: num(t.returns), returnLines: num(t.return_lines), unitsReturned: num(t.units_returned),
      returnedValue: round(num(t.returned_value), 2) ?? 0, orderLines: num(t.order_lines), unitsSold: num(t.units_sold),
    },
    perHour: hourly.map((h) => ({ hour: chTimeToIso(h.hour), returns: h.returns, unitsReturned: h.units_returned, unitsSold: h.units_sold })),
    openReturns: {
      total: open.reduce((n, o) => n + o.returns, 0),
      byStatus: open.map((o) => ({ status: o.status, returns: o.returns, oldestAt: chTimeToIso(o.oldest_at) })),
    },
    turnaround: { window, n: made?.n ?? 0, p50Hours: made?.p50Hours ?? null, p90Hours: made?.p90Hours ?? null },
    cost: {
      ...summary, window,
      // Recovery per costed line over goods value per returned line: the cost snapshot
      // lags the live roll-ups by up to a job interval (and on a new store by the whole
      // history being loaded), so their totals cover different numbers of returns.
      recoveryRate: recoveryRate(num(c.recovery), summary.returns, num(c.returned_value), num(c.returned_lines)),
      savingsRate: round(ratio(num(c.baseline_net_cost) - num(c.net_cost), num(c.baseline_net_cost)), 4),
      avgWaitHours: round(ratio(num(c.wait_hours), summary.returns), 2),
      baselineAvgWaitHours: round(ratio(num(c.baseline_wait_hours), summary.returns), 2),
    },
    returnRate: {
      window, overall: round(ratio(returned, sold)), unitsSold: sold, unitsReturned: returned,
      byCategory: rates.filter((r) => r.category !== '').map((r) => ({ category: r.category, unitsSold: r.sold, unitsReturned: r.returned, returnRate: round(ratio(r.returned, r.sold)), skus: period.range ? null : r.skus })),
    },
    series: series.map((s) => ({ day: s.day, returns: s.returns, unitsReturned: s.units_returned, unitsSold: s.units_sold, returnRate: round(ratio(s.units_returned, s.units_sold)) })),
  }
}
