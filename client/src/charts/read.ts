// Defensive readers for analytics answers. The analytics API is built concurrently and
// real stores may be empty, so the dashboard accepts a few plausible spellings of each
// field and treats anything else as "missing" instead of crashing. Pure and unit-tested.

export type Json = unknown
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const isNum = (v: Json): v is number => typeof v === 'number' && Number.isFinite(v)

/** Value at a dotted path ("turnaround.p50Hours"), or undefined. */
export function at(obj: Json, path: string): Json {
  let cur: Json = obj
  for (const part of path.split('.')) {
    if (!isObj(cur)) return undefined
    cur = cur[part]
  }
  return cur
}

/** First finite number among the paths; numeric strings (ClickHouse Int64) count too. */
export function pickNumber(obj: Json, paths: string[]): number | undefined {
  for (const p of paths) {
    const v = at(obj, p)
    if (isNum(v)) return v
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  }
  return undefined
}

export function pickArray(obj: Json, paths: string[]): Json[] | undefined {
  if (Array.isArray(obj) && paths.includes('')) return obj
  for (const p of paths) {
    const v = p === '' ? obj : at(obj, p)
    if (Array.isArray(v)) return v
  }
  return undefined
}

export function pickString(obj: Json, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = at(obj, k)
    if (typeof v === 'string' && v !== '') return v
    if (isNum(v)) return String(v)
  }
  return undefined
}

/** `{items:[…]}` or a bare array: the list an endpoint answered with. */
export function itemsOf(resp: Json, extra: string[] = []): Json[] {
  return pickArray(resp, ['', 'items', 'rows', 'data', ...extra]) ?? []
}

// ---- KPIs -------------------------------------------------------------------------------

export interface KpiValues {
  returnsToday?: number
  returnsPerHour?: number
  openReturns?: number
  turnaroundP50?: number
  turnaroundP90?: number
  costPerReturn?: number
  recoveryRate?: number
  savings?: number
  savingsRate?: number
  openByStatus: { status: string; count: number }[]
  /** As of when the scheduled figures were computed (ISO); undefined until their jobs have run. */
  snapshotsAsOf?: string
}

export function readKpis(resp: Json): KpiValues {
  const k = isObj(resp) && isObj(resp.kpis) ? resp.kpis : resp
  // Real shape (GET /api/v1/kpis): today.returns, perHour[{hour, returns}], openReturns{total, byStatus[{status, returns}]},
  // turnaround{p50Hours, p90Hours}, cost{costPerReturn, recoveryRate, savings, savingsRate}, returnRate{byCategory}, series[{day}].
  const byStatusRaw = at(k, 'openReturns.byStatus') ?? at(k, 'openByStatus') ?? at(k, 'openReturnsByStatus') ?? at(k, 'open.byStatus') ?? at(k, 'byStatus')
  const openByStatus: { status: string; count: number }[] = []
  if (Array.isArray(byStatusRaw)) {
    for (const r of byStatusRaw) {
      const status = pickString(r, ['status', 'name'])
      const count = pickNumber(r, ['returns', 'count', 'n', 'value'])
      if (status && count !== undefined) openByStatus.push({ status, count })
    }
  } else if (isObj(byStatusRaw)) {
    for (const [status, v] of Object.entries(byStatusRaw)) if (isNum(v)) openByStatus.push({ status, count: v })
  }
  openByStatus.sort((a, b) => b.count - a.count)
  const openSum = openByStatus.length ? openByStatus.reduce((s, r) => s + r.count, 0) : undefined
  return {
    returnsToday: pickNumber(k, ['returnsToday', 'today.returns', 'today', 'returns.today']),
    returnsPerHour: pickNumber(k, ['returnsPerHour', 'perHour', 'returns.perHour', 'today.perHour', 'returnsLastHour', 'lastHour']) ?? meanPerHour(at(k, 'perHour'), pickString(k, ['asOf'])),
    openReturns: pickNumber(k, ['openReturns.total', 'openReturns', 'open.total', 'open', 'returns.open']) ?? openSum,
    turnaroundP50: pickNumber(k, ['turnaroundP50Hours', 'p50TurnaroundHours', 'turnaround.p50Hours', 'turnaround.p50', 'p50Hours', 'turnaroundP50']),
    turnaroundP90: pickNumber(k, ['turnaroundP90Hours', 'p90TurnaroundHours', 'turnaround.p90Hours', 'turnaround.p90', 'p90Hours', 'turnaroundP90']),
    costPerReturn: pickNumber(k, ['cost.costPerReturn', 'costPerReturn', 'netCostPerReturn', 'cost.perReturn', 'avgNetCost']),
    recoveryRate: pickNumber(k, ['cost.recoveryRate', 'recoveryRate', 'recovery.rate']),
    savings: pickNumber(k, ['cost.savings', 'savingsVsBaseline', 'savings.amount', 'savings.total', 'savings', 'baselineSavings']),
    savingsRate: pickNumber(k, ['cost.savingsRate', 'savingsRate', 'savings.rate', 'savingsVsBaselineRate', 'savingsShare']),
    openByStatus,
    snapshotsAsOf: pickString(k, ['snapshotsAsOf']),
  }
}

/**
 * Mean returns per hour over the hourly series (last 24 h), leaving out the hour in
 * progress (the one `asOf` falls in) so a fresh hour does not drag the mean down.
 */
export function meanPerHour(v: Json, asOf?: string): number | undefined {
  if (!Array.isArray(v)) return undefined
  const current = asOf ? asOf.slice(0, 13) : undefined
  const counts: number[] = []
  for (const r of v) {
    const hour = pickString(r, ['hour', 't'])
    const n = pickNumber(r, ['returns', 'count'])
    if (n === undefined || (current && hour?.slice(0, 13) === current)) continue
    counts.push(n)
  }
  return counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : undefined
}

// ---- Time series ----------------------------------------------------------------------

export interface TimePoint { t: string; returns: number; orders?: number }

export function readReturnsOverTime(resp: Json): TimePoint[] {
  const k = isObj(resp) && isObj(resp.kpis) ? resp.kpis : resp
  const arr = pickArray(k, ['returnsOverTime', 'series', 'timeseries', 'hourly', 'daily', 'perHourSeries', 'returnsByHour', 'returnsByDay', 'trend']) ?? []
  const out: TimePoint[] = []
  for (const r of arr) {
    const t = pickString(r, ['t', 'ts', 'time', 'hour', 'day', 'date', 'bucket', 'at'])
    const returns = pickNumber(r, ['returns', 'count', 'n', 'value', 'unitsReturned'])
    if (t === undefined || returns === undefined) continue
    const orders = pickNumber(r, ['orders', 'unitsSold', 'sold'])
    out.push(orders === undefined ? { t, returns } : { t, returns, orders })
  }
  return out.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
}

// ---- Reasons ----------------------------------------------------------------------------

export interface CountBy { key: string; count: number }

/** Reason counts summed over categories/SKUs when the endpoint breaks them down. */
export function readReasonMix(resp: Json): CountBy[] {
  // GET /api/v1/reasons: {totals: [{reason, units, lines, share}], byCategory: […]}.
  const rows = itemsOf(resp, ['totals', 'reasons', 'overall'])
  const sums = new Map<string, number>()
  for (const r of rows) {
    const key = pickString(r, ['reason', 'key', 'name'])
    const count = pickNumber(r, ['units', 'count', 'returns', 'unitsReturned', 'n', 'value'])
    if (key && count !== undefined) sums.set(key, (sums.get(key) ?? 0) + count)
  }
  if (!rows.length && isObj(resp)) {
    const map = isObj(resp.reasons) ? resp.reasons : isObj(resp.overall) ? resp.overall : null
    if (map) for (const [key, v] of Object.entries(map)) if (isNum(v)) sums.set(key, v)
  }
  return [...sums].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count)
}

// ---- Category rates ---------------------------------------------------------------------

export interface CategoryRate { category: string; rate: number; sold?: number; returned?: number }

export function readCategoryRates(resp: Json): CategoryRate[] {
  const k = isObj(resp) && isObj(resp.kpis) ? resp.kpis : resp
  const arr = pickArray(k, ['returnRate.byCategory', 'returnRateByCategory', 'byCategory', 'categories', 'categoryRates']) ?? []
  const out: CategoryRate[] = []
  for (const r of arr) {
    const category = pickString(r, ['category', 'name', 'key'])
    const sold = pickNumber(r, ['unitsSold', 'sold'])
    const returned = pickNumber(r, ['unitsReturned', 'returned'])
    const rate = pickNumber(r, ['returnRate', 'rate', 'value']) ?? (sold && returned !== undefined ? returned / sold : undefined)
    if (category && rate !== undefined) out.push({ category, rate, sold, returned })
  }
  return out.sort((a, b) => b.rate - a.rate)
}

/** Fallback: aggregate per-SKU rows of /api/v1/skus into category rates (units-weighted). */
export function categoryRatesFromSkus(resp: Json): CategoryRate[] {
  const sums = new Map<string, { sold: number; returned: number }>()
  for (const r of itemsOf(resp)) {
    const category = pickString(r, ['category'])
    const sold = pickNumber(r, ['unitsSold']) ?? 0
    const returned = pickNumber(r, ['unitsReturned']) ?? 0
    if (!category) continue
    const s = sums.get(category) ?? { sold: 0, returned: 0 }
    s.sold += sold
    s.returned += returned
    sums.set(category, s)
  }
  return [...sums]
    .filter(([, s]) => s.sold > 0)
    .map(([category, s]) => ({ category, rate: s.returned / s.sold, sold: s.sold, returned: s.returned }))
    .sort((a, b) => b.rate - a.rate)
}

// ---- Turnaround -------------------------------------------------------------------------

export interface Bucket { label: string; count: number }
export interface StagePercentiles { stage: string; n?: number; p50?: number; p90?: number; p99?: number }
/** One warehouse's request → made-whole turnaround; node null with group 'none' (keep-it: nothing goes back) or 'unknown'. */
export interface WarehouseTurnaround { node: string | null; group: 'node' | 'none' | 'unknown'; n?: number; p50?: number; p90?: number }
export interface Turnaround { buckets: Bucket[]; p50?: number; p90?: number; p99?: number; stages: StagePercentiles[]; byWarehouse: WarehouseTurnaround[] }

export function readTurnaround(resp: Json): Turnaround {
  const arr = pickArray(resp, ['histogram', 'buckets', 'distribution', 'overall.histogram', 'overall.buckets']) ?? []
  const buckets: Bucket[] = []
  for (const r of arr) {
    const count = pickNumber(r, ['count', 'returns', 'n', 'value'])
    let label = pickString(r, ['label', 'bucket', 'range'])
    if (label === undefined) {
      const lo = pickNumber(r, ['fromHours', 'from', 'lo', 'min', 'hours'])
      const hi = pickNumber(r, ['toHours', 'to', 'hi', 'max', 'le'])
      label = lo !== undefined && hi !== undefined ? `${lo}–${hi}` : hi !== undefined ? `≤${hi}` : lo !== undefined ? `${lo}+` : undefined
    }
    if (label !== undefined && count !== undefined) buckets.push({ label, count })
  }
  // GET /api/v1/turnaround: {stages: [{stage, n, avgHours, p50Hours, p90Hours, p99Hours}], byWarehouse, byResolution}.
  const stages: StagePercentiles[] = []
  for (const r of pickArray(resp, ['stages']) ?? []) {
    const stage = pickString(r, ['stage'])
    if (!stage) continue
    stages.push({ stage, n: pickNumber(r, ['n']), p50: pickNumber(r, ['p50Hours']), p90: pickNumber(r, ['p90Hours']), p99: pickNumber(r, ['p99Hours']) })
  }
  // Customer-facing first: request → received, then request → made whole.
  const order = ['request_to_received', 'request_to_made_whole']
  stages.sort((a, b) => (order.indexOf(a.stage) + 1 || 99) - (order.indexOf(b.stage) + 1 || 99))
  // Per warehouse, the customer's whole wait (request → made whole), busiest first.
  const byWarehouse: WarehouseTurnaround[] = []
  for (const r of pickArray(resp, ['byWarehouse']) ?? []) {
    if (pickString(r, ['stage']) !== 'request_to_made_whole') continue
    const node = pickString(r, ['receivingNodeId']) ?? null
    const w = pickString(r, ['warehouse'])
    const group = w === 'none' || w === 'unknown' ? w : node ? 'node' : 'unknown'
    byWarehouse.push({ node: group === 'node' ? node : null, group, n: pickNumber(r, ['n']), p50: pickNumber(r, ['p50Hours']), p90: pickNumber(r, ['p90Hours']) })
  }
  byWarehouse.sort((a, b) => (b.n ?? 0) - (a.n ?? 0))
  return {
    buckets,
    stages,
    byWarehouse,
    p50: pickNumber(resp, ['p50Hours', 'p50', 'overall.p50Hours', 'overall.p50']),
    p90: pickNumber(resp, ['p90Hours', 'p90', 'overall.p90Hours', 'overall.p90']),
    p99: pickNumber(resp, ['p99Hours', 'p99', 'overall.p99Hours', 'overall.p99']),
  }
}

// ---- Flows ------------------------------------------------------------------------------

export interface Flows { nodes: { name: string }[]; links: { source: string; target: string; value: number }[] }

/** Sankey input, with links whose ends are unknown or which would form a cycle dropped (ECharts refuses cycles). */
export function readFlows(resp: Json): Flows {
  const nodesRaw = pickArray(resp, ['nodes']) ?? []
  const linksRaw = pickArray(resp, ['links']) ?? []
  const names = new Set<string>()
  for (const n of nodesRaw) {
    const name = typeof n === 'string' ? n : pickString(n, ['name', 'id'])
    if (name) names.add(name)
  }
  const links: Flows['links'] = []
  const seen = new Set<string>()
  for (const l of linksRaw) {
    const source = pickString(l, ['source'])
    const target = pickString(l, ['target'])
    const value = pickNumber(l, ['value', 'count'])
    if (!source || !target || source === target || !value || value <= 0) continue
    if (seen.has(`${target}\u0000${source}`)) continue
    seen.add(`${source}\u0000${target}`)
    names.add(source)
    names.add(target)
    links.push({ source, target, value })
  }
  const used = new Set(links.flatMap((l) => [l.source, l.target]))
  return { nodes: [...names].filter((n) => used.has(n)).map((name) => ({ name })), links }
}
