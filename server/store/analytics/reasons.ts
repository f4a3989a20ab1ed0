// The reason mix of a rolling window or a day range, per category and per SKU.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { floatOrNull, int, text } from '../columns.js'
import { namedQuery, query } from '../query.js'
import { num, round } from './numbers.js'
import type { AnalyticsWindow, DayRange } from './window.js'

export interface ReasonCount { reason: string; units: number; share: number | null }

export interface ReasonsView {
  /** A rolling window, or 'custom' for a day range (then from and to are set). */
  window: AnalyticsWindow | 'custom'
  from?: string
  to?: string
  totals: (ReasonCount & { lines: number })[]
  byCategory: { category: string; units: number; reasons: (ReasonCount & { lines: number })[] }[]
  sku: null | { sku: string; category: string; units: number; reasons: (ReasonCount & { lines: number })[] }
}

// share is a division (null over no units). Units are signed in the per-category
// roll-up a range reads (reasons-range.sql), hence int, not a count. A SKU row's category
// there is a scalar subquery, typed Nullable though it always finds a value.
const ReasonTotal = z.object({ reason: text, units: int, lines: int, share: floatOrNull })
type ReasonTotal = z.infer<typeof ReasonTotal>
const ReasonRow = ReasonTotal.extend({ scope: z.enum(['category', 'sku']), key: text, category: text.nullable() })
type ReasonRow = z.infer<typeof ReasonRow>

/**
 * The reason mix of a rolling window (the reasons job's snapshot), or of a day range
 * read live from the per-category roll-up (reasons-range.sql).
 */
export async function readReasons(client: ClickHouseClient, p: { win: AnalyticsWindow; range?: DayRange; category?: string; sku?: string }): Promise<ReasonsView> {
  const params = { win: p.win, category: p.category ?? '', sku: p.sku ?? '', ...(p.range ?? {}) }
  let rows: ReasonRow[], totals: ReasonTotal[]
  if (p.range) {
    rows = await query(client, { query: namedQuery('reasons-range'), params, tag: 'api.reasons.range', schema: ReasonRow })
    totals = reasonTotals(rows.filter((r) => r.scope === 'category'))
  } else {
    ;[rows, totals] = await Promise.all([
      query(client, { query: namedQuery('reasons-read'), params, tag: 'api.reasons', schema: ReasonRow }),
      query(client, { query: namedQuery('reasons-totals'), params, tag: 'api.reasons.totals', schema: ReasonTotal }),
    ])
  }
  const reason = (r: ReasonTotal) => ({ reason: r.reason, units: num(r.units), lines: num(r.lines), share: round(num(r.share), 4) })
  const groups = new Map<string, { category: string; units: number; reasons: ReturnType<typeof reason>[] }>()
  let sku: ReasonsView['sku'] = null
  for (const r of rows) {
    if (r.scope === 'sku') {
      sku ??= { sku: r.key, category: r.category ?? 'uncategorised', units: 0, reasons: [] }
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
