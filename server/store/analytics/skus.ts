// The SKU list (snapshot of a rolling window, or a day range computed live) and one SKU's detail.
import type { ClickHouseClient } from '@clickhouse/client'
import { chTimeToIso, namedQuery, query } from '../query.js'
import { costSummary, num, ratio, round, type CostSummary } from './numbers.js'
import type { ReasonCount } from './reasons.js'
import { clampToData, resolveDays, type AnalyticsWindow, type DayRange } from './window.js'

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
  // Where the rates come from differs; the anomaly join, filters and paging are shared (included).
  const sql = namedQuery(name)
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


export interface RecentReturn {
  rmaId: string; lineIndex: number; requestedAt: string; qty: number; unitPrice: number; reason: string
  condition: string; wants: string; channel: string; status: string
  decision: null | { decisionId: string; decidedAt: string; resolution: string; disposition: string; receivingNodeId: string | null; netCost: number; recovery: number; baselineNetCost: number }
}


export async function skuDetail(client: ClickHouseClient, sku: string, win: AnalyticsWindow, range: DayRange | undefined, now: Date, recentLimit = 20): Promise<SkuDetail | null> {
  const days = await resolveDays(client, win, range, now)
  // The trend has a point a day from the first data on ('all' starts there already; a
  // range typed from 1990 is moved up to it; a rolling window keeps its days).
  const trendDays = range ? await clampToData(client, days) : days
  const { items } = await listSkus(client, { win, range, sort: 'returnRate', order: 'desc', sku, minVolume: 0, limit: 1, offset: 0 })
  const params = { sku, from: days.from, to: days.to, limit: recentLimit }
  const [trend, reasons, outcomes, recent] = await Promise.all([
    query<{ day: string; units_sold: number; units_returned: number; category_units_sold: number; category_units_returned: number }>(client, { query: namedQuery('sku-trend'), params: { ...params, ...trendDays }, tag: 'api.sku.trend' }),
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
