// Reads of the analytics tables (job snapshots and roll-ups) in the shapes the API
// answers with. SQL lives in sql/queries; this module only binds parameters and renames
// columns to the API's camelCase.
import type { ClickHouseClient } from '@clickhouse/client'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

export const WINDOWS = ['7d', '30d', '90d', 'all'] as const
export type AnalyticsWindow = (typeof WINDOWS)[number]
const WINDOW_DAYS: Record<AnalyticsWindow, number | null> = { '7d': 7, '30d': 30, '90d': 90, all: null }

/** An inclusive UTC day range, as 'YYYY-MM-DD'. */
export interface DayRange { from: string; to: string }

const dayOf = (d: Date) => d.toISOString().slice(0, 10)

/** The days of a rolling window ending on the day of `now` (the jobs use the same rule). */
export function windowRange(win: AnalyticsWindow, now: Date): DayRange {
  const days = WINDOW_DAYS[win]
  const to = dayOf(now)
  if (days === null) return { from: '1970-01-01', to }
  return { from: dayOf(new Date(Date.parse(to) - (days - 1) * 86_400_000)), to }
}

const num = (v: unknown) => Number(v ?? 0)
const ratio = (a: number, b: number) => (b > 0 ? a / b : null)
const round = (v: number | null, digits = 6) => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)))

function recoveryRate(recovery: number, costedLines: number, returnedValue: number, returnedLines: number): number | null {
  const perCosted = ratio(recovery, costedLines)
  const perReturned = ratio(returnedValue, returnedLines)
  return perCosted === null || perReturned === null ? null : round(ratio(perCosted, perReturned), 4)
}

// ---------------------------------------------------------------- SKUs

export const SKU_SORTS = { returnRate: 'return_rate', unitsReturned: 'units_returned', unitsSold: 'units_sold', netCost: 'net_cost', anomaly: 'has_anomaly' } as const
export type SkuSort = keyof typeof SKU_SORTS

export interface SkuListParams {
  /** Rolling window (read from the snapshot) unless `range` is given (computed live). */
  win: AnalyticsWindow
  range?: DayRange
  sort: SkuSort
  order: 'asc' | 'desc'
  category?: string
  sku?: string
  minVolume: number
  limit: number
  offset: number
}

export interface ReasonCount { reason: string; units: number; share: number | null }
export interface SkuAnomalyRef { id: string; kind: string; referenceRate: number; since: string }
export interface SkuItem {
  sku: string
  category: string
  unitsSold: number
  unitsReturned: number
  returnLines: number
  /** units returned / units sold; null when nothing was sold in the window. */
  returnRate: number | null
  topReasons: ReasonCount[]
  netCost: number
  anomaly: SkuAnomalyRef | null
}

interface SkuRow {
  sku: string; category: string; units_sold: number; units_returned: number; return_lines: number; return_rate: number
  top_reasons: { reason: string; units: number }[]; net_cost: number; has_anomaly: number | boolean
  anomaly_id: string; anomaly_kind: string; anomaly_reference_rate: number; anomaly_since: string; total: number
}

function skuItem(r: SkuRow): SkuItem {
  const unitsSold = num(r.units_sold), unitsReturned = num(r.units_returned)
  return {
    sku: r.sku, category: r.category, unitsSold, unitsReturned, returnLines: num(r.return_lines),
    returnRate: round(ratio(unitsReturned, unitsSold)),
    topReasons: r.top_reasons.map((t) => ({ reason: t.reason, units: num(t.units), share: round(ratio(num(t.units), unitsReturned), 4) })),
    netCost: round(num(r.net_cost), 2) ?? 0,
    anomaly: r.has_anomaly ? { id: r.anomaly_id, kind: r.anomaly_kind, referenceRate: round(num(r.anomaly_reference_rate)) ?? 0, since: chTimeToIso(r.anomaly_since) } : null,
  }
}

export async function listSkus(client: ClickHouseClient, p: SkuListParams): Promise<{ items: SkuItem[]; total: number }> {
  const params = {
    win: p.win, from: p.range?.from ?? '1970-01-01', to: p.range?.to ?? '1970-01-01',
    sort: SKU_SORTS[p.sort], desc: p.order === 'desc', category: p.category ?? '', sku: p.sku ?? '',
    minVolume: p.minVolume, limit: p.limit, offset: p.offset,
  }
  const name = p.range ? 'skus-range' : 'skus-snapshot'
  // Where the rates come from differs; the anomaly join, filters and paging are shared.
  const sql = namedQuery(name) + namedQuery('skus-page')
  const rows = await query<SkuRow>(client, { query: sql, params, tag: `api.${name}` })
  let total = rows.length ? num(rows[0].total) : 0
  if (!rows.length && p.offset > 0) {
    // Past the last page the window total has no row to ride on; ask for it alone.
    const first = await query<SkuRow>(client, { query: sql, params: { ...params, offset: 0, limit: 1 }, tag: `api.${name}.total` })
    total = first.length ? num(first[0].total) : 0
  }
  return { items: rows.map(skuItem), total }
}

export interface SkuDetail extends SkuItem {
  window: AnalyticsWindow | 'custom'
  from: string
  to: string
  trend: { day: string; unitsSold: number; unitsReturned: number; returnRate: number | null; categoryReturnRate: number | null }[]
  reasons: (ReasonCount & { lines: number })[]
  dispositions: { disposition: string; lines: number; share: number | null; netCost: number; recovery: number }[]
  resolutions: { resolution: string; lines: number; share: number | null }[]
  cost: CostSummary
  recentReturns: RecentReturn[]
}

export interface CostSummary {
  returns: number
  netCost: number
  costPerReturn: number | null
  recovery: number
  baselineNetCost: number
  savings: number
  savingsPerReturn: number | null
  logistics: number
  handling: number
  refunds: number
  repair: number
}

export interface RecentReturn {
  rmaId: string; lineIndex: number; requestedAt: string; qty: number; unitPrice: number; reason: string
  condition: string; wants: string; channel: string; status: string
  decision: null | { decisionId: string; decidedAt: string; resolution: string; disposition: string; receivingNodeId: string | null; netCost: number; recovery: number; baselineNetCost: number }
}

function costSummary(t: { returns: number; net_cost: number; recovery: number; baseline_net_cost: number; logistics: number; handling: number; refunds: number; repair: number }): CostSummary {
  const returns = num(t.returns), netCost = num(t.net_cost), baseline = num(t.baseline_net_cost)
  const money = (v: number) => round(v, 2) ?? 0
  return {
    returns, netCost: money(netCost), costPerReturn: round(ratio(netCost, returns), 2), recovery: money(num(t.recovery)),
    baselineNetCost: money(baseline), savings: money(baseline - netCost), savingsPerReturn: round(ratio(baseline - netCost, returns), 2),
    logistics: money(num(t.logistics)), handling: money(num(t.handling)), refunds: money(num(t.refunds)), repair: money(num(t.repair)),
  }
}

export async function skuDetail(client: ClickHouseClient, sku: string, win: AnalyticsWindow, range: DayRange | undefined, now: Date, recentLimit = 20): Promise<SkuDetail | null> {
  const days = range ?? windowRange(win, now)
  const { items } = await listSkus(client, { win, range, sort: 'returnRate', order: 'desc', sku, minVolume: 0, limit: 1, offset: 0 })
  const params = { sku, from: days.from, to: days.to, limit: recentLimit }
  const [trend, reasons, outcomes, recent] = await Promise.all([
    query<{ day: string; units_sold: number; units_returned: number; category_units_sold: number; category_units_returned: number }>(client, { query: namedQuery('sku-trend'), params, tag: 'api.sku.trend' }),
    query<{ reason: string; units: number; lines: number; share: number }>(client, { query: namedQuery('sku-reasons'), params, tag: 'api.sku.reasons' }),
    query<Record<string, string | number>>(client, { query: namedQuery('sku-outcomes'), params, tag: 'api.sku.outcomes' }).then((rows) => rows.map((o) => ({
      resolution: String(o.resolution), disposition: String(o.disposition), lines: num(o.lines), net_cost: num(o.net_cost_sum), recovery: num(o.recovery_sum),
      baseline_net_cost: num(o.baseline_net_cost_sum), logistics: num(o.logistics_sum), handling: num(o.handling_sum), refunds: num(o.refunds_sum), repair: num(o.repair_sum),
    }))),
    query<Record<string, string | number>>(client, { query: namedQuery('sku-recent'), params, tag: 'api.sku.recent' }),
  ])
  if (!items.length && !recent.length) return null
  const summary: SkuItem = items[0] ?? { sku, category: 'uncategorised', unitsSold: 0, unitsReturned: 0, returnLines: 0, returnRate: null, topReasons: [], netCost: 0, anomaly: null }

  // Dispositions and resolutions are a handful of groups: folded here for the two views.
  const totalLines = outcomes.reduce((n, o) => n + num(o.lines), 0)
  const fold = <K extends 'disposition' | 'resolution'>(key: K) => {
    const m = new Map<string, { lines: number; netCost: number; recovery: number }>()
    for (const o of outcomes) {
      const g = m.get(o[key]) ?? { lines: 0, netCost: 0, recovery: 0 }
      g.lines += num(o.lines); g.netCost += num(o.net_cost); g.recovery += num(o.recovery)
      m.set(o[key], g)
    }
    return [...m].sort((a, b) => b[1].lines - a[1].lines)
  }
  const totals = outcomes.reduce((t, o) => ({
    returns: t.returns + num(o.lines), net_cost: t.net_cost + num(o.net_cost), recovery: t.recovery + num(o.recovery),
    baseline_net_cost: t.baseline_net_cost + num(o.baseline_net_cost), logistics: t.logistics + num(o.logistics),
    handling: t.handling + num(o.handling), refunds: t.refunds + num(o.refunds), repair: t.repair + num(o.repair),
  }), { returns: 0, net_cost: 0, recovery: 0, baseline_net_cost: 0, logistics: 0, handling: 0, refunds: 0, repair: 0 })

  const cost = costSummary(totals)
  return {
    // The list's net cost comes from the cost job's last snapshot; the page reads the
    // decisions live, so its header shows the same figure as its cost panel.
    ...summary, netCost: cost.netCost,
    window: range ? 'custom' : win, from: days.from, to: days.to,
    trend: trend.map((t) => ({
      day: t.day, unitsSold: num(t.units_sold), unitsReturned: num(t.units_returned),
      returnRate: round(ratio(num(t.units_returned), num(t.units_sold))),
      categoryReturnRate: round(ratio(num(t.category_units_returned), num(t.category_units_sold))),
    })),
    reasons: reasons.map((r) => ({ reason: r.reason, units: num(r.units), lines: num(r.lines), share: round(num(r.share), 4) })),
    dispositions: fold('disposition').map(([disposition, g]) => ({ disposition, lines: g.lines, share: round(ratio(g.lines, totalLines), 4), netCost: round(g.netCost, 2) ?? 0, recovery: round(g.recovery, 2) ?? 0 })),
    resolutions: fold('resolution').map(([resolution, g]) => ({ resolution, lines: g.lines, share: round(ratio(g.lines, totalLines), 4) })),
    cost,
    recentReturns: recent.map((r) => ({
      rmaId: String(r.rma_id), lineIndex: num(r.line_index), requestedAt: chTimeToIso(String(r.requested_at)), qty: num(r.qty),
      unitPrice: num(r.unit_price), reason: String(r.reason), condition: String(r.condition), wants: String(r.wants),
      channel: String(r.channel), status: String(r.status),
      decision: r.decision_id ? {
        decisionId: String(r.decision_id), decidedAt: chTimeToIso(String(r.decided_at)), resolution: String(r.resolution),
        disposition: String(r.disposition), receivingNodeId: r.receiving_node_id ? String(r.receiving_node_id) : null,
        netCost: num(r.net_cost), recovery: num(r.recovery), baselineNetCost: num(r.baseline_net_cost),
      } : null,
    })),
  }
}

// ---------------------------------------------------------------- KPIs

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
  turnaround: { window: '30d'; n: number; p50Hours: number | null; p90Hours: number | null }
  cost: CostSummary & { window: '30d'; recoveryRate: number | null; savingsRate: number | null; avgWaitHours: number | null; baselineAvgWaitHours: number | null }
  returnRate: { window: '30d'; overall: number | null; unitsSold: number; unitsReturned: number; byCategory: { category: string; unitsSold: number; unitsReturned: number; returnRate: number | null; skus: number }[] }
  series: { day: string; returns: number; unitsReturned: number; unitsSold: number; returnRate: number | null }[]
}

export async function readKpis(client: ClickHouseClient, now: Date): Promise<Kpis> {
  const asOf = toChTime(now)
  const month = windowRange('30d', now)
  const [today, hourly, open, turnaround, cost, rates, series, snapshots] = await Promise.all([
    query<Record<string, number>>(client, { query: namedQuery('kpis-today'), params: { asOf }, tag: 'api.kpis.today' }),
    query<{ hour: string; returns: number; units_returned: number; units_sold: number }>(client, { query: namedQuery('kpis-hourly'), params: { asOf }, tag: 'api.kpis.hourly' }),
    query<{ status: string; returns: number; oldest_at: string }>(client, { query: namedQuery('open-returns-read'), tag: 'api.kpis.open' }),
    readTurnaroundStages(client, month),
    query<Record<string, number>>(client, { query: namedQuery('kpis-cost'), params: { ...month }, tag: 'api.kpis.cost' }),
    query<{ category: string; sold: number; returned: number; skus: number }>(client, { query: namedQuery('kpis-rates'), params: { win: '30d' }, tag: 'api.kpis.rates' }),
    query<{ day: string; returns: number; units_returned: number; units_sold: number }>(client, { query: namedQuery('kpis-daily'), params: { ...month }, tag: 'api.kpis.daily' }),
    query<{ job: string; at: string }>(client, { query: namedQuery('kpis-snapshots-at'), params: { jobs: KPI_JOBS }, tag: 'api.kpis.snapshots-at' }),
  ])
  const t = today[0] ?? {}
  const c = cost[0] ?? {}
  const summary = costSummary(c as never)
  const made = turnaround.find((s) => s.stage === 'request_to_made_whole')
  const overall = rates.find((r) => r.category === '')
  const sold = num(overall?.sold), returned = num(overall?.returned)
  const snapshotTimes = snapshots.map((r) => chTimeToIso(r.at)).sort()
  return {
    asOf: now.toISOString(),
    snapshotsAsOf: snapshotTimes.length === KPI_JOBS.length ? snapshotTimes[0] : null,
    today: {
      returns: num(t.returns), returnLines: num(t.return_lines), unitsReturned: num(t.units_returned),
      returnedValue: round(num(t.returned_value), 2) ?? 0, orderLines: num(t.order_lines), unitsSold: num(t.units_sold),
    },
    perHour: hourly.map((h) => ({ hour: chTimeToIso(h.hour), returns: num(h.returns), unitsReturned: num(h.units_returned), unitsSold: num(h.units_sold) })),
    openReturns: {
      total: open.reduce((n, o) => n + num(o.returns), 0),
      byStatus: open.map((o) => ({ status: o.status, returns: num(o.returns), oldestAt: chTimeToIso(o.oldest_at) })),
    },
    turnaround: { window: '30d', n: made?.n ?? 0, p50Hours: made?.p50Hours ?? null, p90Hours: made?.p90Hours ?? null },
    cost: {
      ...summary, window: '30d',
      // Recovery per costed line over goods value per returned line: the cost snapshot
      // lags the live roll-ups by up to a job interval (and on a new store by the whole
      // history being loaded), so their totals cover different numbers of returns.
      recoveryRate: recoveryRate(num(c.recovery), summary.returns, num(c.returned_value), num(c.returned_lines)),
      savingsRate: round(ratio(num(c.baseline_net_cost) - num(c.net_cost), num(c.baseline_net_cost)), 4),
      avgWaitHours: round(ratio(num(c.wait_hours), summary.returns), 2),
      baselineAvgWaitHours: round(ratio(num(c.baseline_wait_hours), summary.returns), 2),
    },
    returnRate: {
      window: '30d', overall: round(ratio(returned, sold)), unitsSold: sold, unitsReturned: returned,
      byCategory: rates.filter((r) => r.category !== '').map((r) => ({ category: r.category, unitsSold: num(r.sold), unitsReturned: num(r.returned), returnRate: round(ratio(num(r.returned), num(r.sold))), skus: num(r.skus) })),
    },
    series: series.map((s) => ({ day: s.day, returns: num(s.returns), unitsReturned: num(s.units_returned), unitsSold: num(s.units_sold), returnRate: round(ratio(num(s.units_returned), num(s.units_sold))) })),
  }
}

// ---------------------------------------------------------------- turnaround

export interface TurnaroundStat { stage: string; n: number; avgHours: number | null; p50Hours: number | null; p90Hours: number | null; p99Hours: number | null }
export interface Turnaround {
  from: string
  to: string
  stages: TurnaroundStat[]
  /**
   * receivingNodeId is null for the two groups that are no warehouse: 'none' (the latest
   * decision sends nothing back and nothing was received, e.g. keep-it) and 'unknown'
   * (neither a decision nor a status names a node).
   */
  byWarehouse: (TurnaroundStat & { receivingNodeId: string | null; warehouse: 'node' | 'none' | 'unknown' })[]
  byResolution: (TurnaroundStat & { resolution: string })[]
}

export const STAGES = ['request_to_made_whole', 'request_to_received', 'received_to_inspected', 'inspected_to_resolved'] as const

/** turnaround_daily's node column: a node id, '' for no warehouse, 'unknown' (turnaround-refresh.sql). */
function warehouseKey(key: string): { receivingNodeId: string | null; warehouse: 'node' | 'none' | 'unknown' } {
  if (key === '') return { receivingNodeId: null, warehouse: 'none' }
  if (key === 'unknown') return { receivingNodeId: null, warehouse: 'unknown' }
  return { receivingNodeId: key, warehouse: 'node' }
}

/** Per-stage turnaround only (no breakdowns), for the KPIs. */
export async function readTurnaroundStages(client: ClickHouseClient, p: DayRange): Promise<TurnaroundStat[]> {
  const rows = await query<{ stage: string; n: number; avg_hours: number; q: number[] }>(client, {
    query: namedQuery('turnaround-stages'), params: { from: p.from, to: p.to }, tag: 'api.kpis.turnaround',
  })
  return rows.filter((r) => num(r.n) > 0).map((r) => ({
    stage: r.stage, n: num(r.n), avgHours: round(num(r.avg_hours), 2),
    p50Hours: round(r.q[0], 2), p90Hours: round(r.q[1], 2), p99Hours: round(r.q[2], 2),
  }))
}

export async function readTurnaround(client: ClickHouseClient, p: DayRange & { node?: string; resolution?: string }): Promise<Turnaround> {
  const rows = await query<{ breakdown: string; stage: string; key: string; n: number; avg_hours: number; q: number[] }>(client, {
    query: namedQuery('turnaround-read'),
    params: { from: p.from, to: p.to, node: p.node ?? '', resolution: p.resolution ?? '' },
    tag: 'api.turnaround',
  })
  const stageOrder = (s: string) => { const i = STAGES.indexOf(s as never); return i < 0 ? STAGES.length : i }
  const stat = (r: (typeof rows)[number]): TurnaroundStat => ({
    stage: r.stage, n: num(r.n), avgHours: round(num(r.avg_hours), 2),
    p50Hours: round(r.q[0], 2), p90Hours: round(r.q[1], 2), p99Hours: round(r.q[2], 2),
  })
  const sorted = rows.filter((r) => num(r.n) > 0).sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage) || num(b.n) - num(a.n) || a.key.localeCompare(b.key))
  return {
    from: p.from, to: p.to,
    stages: sorted.filter((r) => r.breakdown === 'all').map(stat),
    byWarehouse: sorted.filter((r) => r.breakdown === 'warehouse').map((r) => ({ ...stat(r), ...warehouseKey(r.key) })),
    byResolution: sorted.filter((r) => r.breakdown === 'resolution').map((r) => ({ ...stat(r), resolution: r.key })),
  }
}

// ---------------------------------------------------------------- reasons

export interface ReasonsView {
  /** A rolling window, or 'custom' for a day range (then from and to are set). */
  window: AnalyticsWindow | 'custom'
  from?: string
  to?: string
  totals: (ReasonCount & { lines: number })[]
  byCategory: { category: string; units: number; reasons: (ReasonCount & { lines: number })[] }[]
  sku: null | { sku: string; category: string; units: number; reasons: (ReasonCount & { lines: number })[] }
}

type ReasonRow = { scope: string; key: string; category: string; reason: string; units: number; lines: number; share: number }
type ReasonTotal = { reason: string; units: number; lines: number; share: number }

/**
 * The reason mix of a rolling window (the reasons job's snapshot), or of a day range
 * read live from the per-category roll-up (reasons-range.sql).
 */
export async function readReasons(client: ClickHouseClient, p: { win: AnalyticsWindow; range?: DayRange; category?: string; sku?: string }): Promise<ReasonsView> {
  const params = { win: p.win, category: p.category ?? '', sku: p.sku ?? '', ...(p.range ?? {}) }
  let rows: ReasonRow[], totals: ReasonTotal[]
  if (p.range) {
    rows = await query<ReasonRow>(client, { query: namedQuery('reasons-range'), params, tag: 'api.reasons.range' })
    totals = reasonTotals(rows.filter((r) => r.scope === 'category'))
  } else {
    ;[rows, totals] = await Promise.all([
      query<ReasonRow>(client, { query: namedQuery('reasons-read'), params, tag: 'api.reasons' }),
      query<ReasonTotal>(client, { query: namedQuery('reasons-totals'), params, tag: 'api.reasons.totals' }),
    ])
  }
  const reason = (r: ReasonTotal) => ({ reason: r.reason, units: num(r.units), lines: num(r.lines), share: round(num(r.share), 4) })
  const groups = new Map<string, { category: string; units: number; reasons: ReturnType<typeof reason>[] }>()
  let sku: ReasonsView['sku'] = null
  for (const r of rows) {
    if (r.scope === 'sku') {
      sku ??= { sku: r.key, category: r.category, units: 0, reasons: [] }
      sku.units += num(r.units)
      sku.reasons.push(reason(r))
      continue
    }
    const g = groups.get(r.key) ?? { category: r.key, units: 0, reasons: [] }
    g.units += num(r.units)
    g.reasons.push(reason(r))
    groups.set(r.key, g)
  }
  const window = p.range ? { window: 'custom' as const, from: p.range.from, to: p.range.to } : { window: p.win }
  return { ...window, totals: totals.map(reason), byCategory: [...groups.values()].sort((a, b) => b.units - a.units), sku }
}

/** Units per reason over the category rows given, as reasons-totals.sql sums the snapshot's. */
function reasonTotals(rows: ReasonRow[]): ReasonTotal[] {
  const byReason = new Map<string, ReasonTotal>()
  for (const r of rows) {
    const t = byReason.get(r.reason) ?? { reason: r.reason, units: 0, lines: 0, share: 0 }
    t.units += num(r.units)
    t.lines += num(r.lines)
    byReason.set(r.reason, t)
  }
  const all = [...byReason.values()].reduce((n, t) => n + t.units, 0)
  return [...byReason.values()].map((t) => ({ ...t, share: all > 0 ? t.units / all : 0 }))
    .sort((a, b) => b.units - a.units || a.reason.localeCompare(b.reason))
}

// ---------------------------------------------------------------- flows

export interface FlowsView { window: AnalyticsWindow; nodes: { name: string }[]; links: { source: string; target: string; value: number }[] }

export async function readFlows(client: ClickHouseClient, win: AnalyticsWindow): Promise<FlowsView> {
  const links = (await query<{ source: string; target: string; value: number }>(client, { query: namedQuery('flows-read'), params: { win }, tag: 'api.flows' }))
    .map((l) => ({ source: l.source, target: l.target, value: num(l.value) }))
  const names = new Set<string>()
  for (const l of links) { names.add(l.source); names.add(l.target) }
  const layer = (n: string) => ['reason', 'resolution', 'disposition'].indexOf(n.slice(0, n.indexOf(':')))
  return { window: win, nodes: [...names].sort((a, b) => layer(a) - layer(b) || a.localeCompare(b)).map((name) => ({ name })), links }
}

// ---------------------------------------------------------------- anomalies

export interface AnomalyRow {
  anomaly_id: string; sku: string; category: string; kind: string; active?: number; first_seen_at: string; last_seen_at?: string
  units_sold: number; units_returned: number; rate: number; wilson_low: number; wilson_high: number; reference_rate: number; evidence: string
}

export interface Anomaly {
  id: string; sku: string; category: string; kind: 'above_category' | 'spike'; active: boolean
  firstSeenAt: string; lastSeenAt: string; unitsSold: number; unitsReturned: number; rate: number
  wilsonLow: number; wilsonHigh: number; referenceRate: number
  evidence: { window: string; unitsSold: number; unitsReturned: number; rate: number; wilsonLow: number; wilsonHigh: number; reference: string; referenceRate: number; z: number; topReasons: { reason: string; units: number }[] }
}

export function anomalyFromRow(r: AnomalyRow): Anomaly {
  return {
    id: r.anomaly_id, sku: r.sku, category: r.category, kind: r.kind as Anomaly['kind'], active: num(r.active) === 1,
    firstSeenAt: chTimeToIso(r.first_seen_at), lastSeenAt: chTimeToIso(r.last_seen_at ?? r.first_seen_at),
    unitsSold: num(r.units_sold), unitsReturned: num(r.units_returned), rate: round(num(r.rate)) ?? 0,
    wilsonLow: round(num(r.wilson_low)) ?? 0, wilsonHigh: round(num(r.wilson_high)) ?? 0, referenceRate: round(num(r.reference_rate)) ?? 0,
    evidence: JSON.parse(r.evidence),
  }
}

export async function listAnomalies(client: ClickHouseClient, p: { state: 'active' | 'resolved' | 'all'; kind?: string; category?: string; sku?: string; limit: number; offset: number }): Promise<{ items: Anomaly[]; total: number }> {
  const rows = await query<AnomalyRow & { total: number }>(client, {
    query: namedQuery('anomalies-list'),
    params: { state: p.state, kind: p.kind ?? '', category: p.category ?? '', sku: p.sku ?? '', limit: p.limit, offset: p.offset },
    tag: 'api.anomalies',
  })
  return { items: rows.map(anomalyFromRow), total: rows.length ? num(rows[0].total) : 0 }
}
