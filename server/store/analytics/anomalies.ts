// Anomaly episodes in the API's shape (the anomalies job's output), and the anomalies of
// any period computed on request with the job's rules.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { chTime, floatOrNull, int, text } from '../columns.js'
import { chTimeToIso, namedQuery, query } from '../query.js'
import { num, round } from './numbers.js'
import type { DayRange } from './window.js'

export interface AnomalyRules {
  /** Units sold a window must hold before its rate is judged (the minimum-volume rule). */
  minVolume: number
  /** Units sold in the last 7 days before a spike is judged. */
  minVolume7: number
  /** One-sided normal quantile of the Wilson interval. */
  z: number
  /** A spike's 7-day rate must be at least this multiple of the SKU's own baseline. */
  spikeFactor: number
}

export const DEFAULT_ANOMALY_RULES: AnomalyRules = { minVolume: 100, minVolume7: 30, z: 3.09, spikeFactor: 2 }

/**
 * An episode as the anomalies job first writes it (anomalies-opened.sql). The rates are
 * divisions, null if NaN, though a flagged row's never are (its Wilson bound beat them).
 */
export const OpenedRow = z.object({
  anomaly_id: text, sku: text, category: text, kind: z.enum(['above_category', 'spike']), first_seen_at: chTime,
  units_sold: int, units_returned: int, rate: floatOrNull, wilson_low: floatOrNull, wilson_high: floatOrNull, reference_rate: floatOrNull,
  evidence: text,
})
/** An episode in its current state, or an anomaly of a period (anomalies-list.sql, anomalies-range.sql), with the total of the filter. */
const EpisodeRow = OpenedRow.extend({ active: int, last_seen_at: chTime, total: int })
export type AnomalyRow = z.infer<typeof OpenedRow> & Partial<Pick<z.infer<typeof EpisodeRow>, 'active' | 'last_seen_at'>>

export interface Anomaly {
  id: string; sku: string; category: string; kind: 'above_category' | 'spike'; active: boolean
  firstSeenAt: string; lastSeenAt: string; unitsSold: number; unitsReturned: number; rate: number
  wilsonLow: number; wilsonHigh: number; referenceRate: number
  evidence: { window: string; unitsSold: number; unitsReturned: number; rate: number; wilsonLow: number; wilsonHigh: number; reference: string; referenceRate: number; z: number; topReasons: { reason: string; units: number }[] }
}

export function anomalyFromRow(r: AnomalyRow): Anomaly {
  return {
    id: r.anomaly_id, sku: r.sku, category: r.category, kind: r.kind, active: num(r.active) === 1,
    firstSeenAt: chTimeToIso(r.first_seen_at), lastSeenAt: chTimeToIso(r.last_seen_at ?? r.first_seen_at),
    unitsSold: num(r.units_sold), unitsReturned: num(r.units_returned), rate: round(num(r.rate)) ?? 0,
    wilsonLow: round(num(r.wilson_low)) ?? 0, wilsonHigh: round(num(r.wilson_high)) ?? 0, referenceRate: round(num(r.reference_rate)) ?? 0,
    evidence: JSON.parse(r.evidence),
  }
}

export async function listAnomalies(client: ClickHouseClient, p: { state: 'active' | 'resolved' | 'all'; kind?: string; category?: string; sku?: string; limit: number; offset: number }): Promise<{ items: Anomaly[]; total: number }> {
  const rows = await query(client, {
    query: namedQuery('anomalies-list'),
    params: { state: p.state, kind: p.kind ?? '', category: p.category ?? '', sku: p.sku ?? '', limit: p.limit, offset: p.offset },
    tag: 'api.anomalies',
    schema: EpisodeRow,
  })
  return { items: rows.map(anomalyFromRow), total: rows.length ? rows[0].total : 0 }
}

export interface AnomalyFilter { kind?: string; category?: string; sku?: string; limit: number; offset: number }

/** The top reasons of a page's SKUs over a period and over its last 7 days (anomalies-range-reasons.sql). */
const TopReasons = z.array(z.object({ reason: text, units: int }))
const RangeReasonsRow = z.object({ sku: text, top_range: TopReasons, top7: TopReasons })

/**
 * The anomalies of the days [from, to] (anomalies-range.sql): above its category over the
 * whole range, or a spike in its last 7 days against the 30 before. Nothing is stored;
 * `active` says whether the same SKU and kind has an open episode now. The evidence's top
 * reasons are read for the page's SKUs only, after the page (anomalies-range-reasons.sql):
 * summing every SKU's reasons to keep those of a page was about half of the read.
 */
export async function anomaliesInRange(client: ClickHouseClient, range: DayRange, p: AnomalyFilter, rules: AnomalyRules = DEFAULT_ANOMALY_RULES): Promise<{ items: Anomaly[]; total: number }> {
  const rows = await query(client, {
    query: namedQuery('anomalies-range'),
    params: { ...rules, ...range, kind: p.kind ?? '', category: p.category ?? '', sku: p.sku ?? '', limit: p.limit, offset: p.offset },
    tag: 'api.anomalies.range',
    schema: EpisodeRow,
  })
  const items = rows.map(anomalyFromRow)
  if (items.length) {
    const reasons = await query(client, {
      query: namedQuery('anomalies-range-reasons'),
      params: { ...range, skus: [...new Set(items.map((a) => a.sku))] },
      tag: 'api.anomalies.range.reasons',
      schema: RangeReasonsRow,
    })
    const bySku = new Map(reasons.map((r) => [r.sku, r]))
    for (const a of items) {
      const r = bySku.get(a.sku)
      a.evidence.topReasons = !r ? [] : a.kind === 'above_category' ? r.top_range : r.top7
    }
  }
  return { items, total: rows.length ? rows[0].total : 0 }
}
