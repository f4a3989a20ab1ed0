// Reads of one return: the request, its decisions (newest first), status timeline and
// inspections. Used by the return page, the tracking page and re-routing.
import type { ClickHouseClient } from '@clickhouse/client'
import type { Decision } from '../contracts/decision.js'
import type { ReturnRequested } from '../contracts/events.js'
import { chTimeToIso, namedQuery, query } from './query.js'
import { DECISION_COLUMNS, decodeDecisionRow, type DecisionColumns } from './decision-codec.js'

export interface TimelineEntry { status: string; at: string; nodeId?: string; lineId?: string; note?: string }
export interface InspectionEntry { lineId?: string; sku: string; grade: string; nodeId: string; findings?: string; at: string }

export async function getReturnRequest(client: ClickHouseClient, rmaId: string): Promise<ReturnRequested | undefined> {
  const rows = await query<{ payload: string }>(client, {
    query: `SELECT payload FROM raw_events
            WHERE event_id IN (SELECT event_id FROM returns_by_rma WHERE rma_id = {rma:String})
            ORDER BY occurred_at LIMIT 1`,
    params: { rma: rmaId }, tag: 'returns.request',
  })
  return rows[0] ? (JSON.parse(rows[0].payload) as ReturnRequested) : undefined
}

export async function getDecisions(client: ClickHouseClient, rmaId: string): Promise<Decision[]> {
  // FINAL: a producer's retry may have rewritten a decision row with the same id.
  const rows = await query<DecisionColumns>(client, {
    query: `SELECT ${DECISION_COLUMNS} FROM decisions FINAL WHERE rma_id = {rma:String} ORDER BY decided_at DESC, decision_id DESC`,
    params: { rma: rmaId }, tag: 'returns.decisions',
  })
  return rows.map(decodeDecisionRow)
}

/** offerId → accepted, for the offers of a return that were answered. */
export async function getOfferAnswers(client: ClickHouseClient, rmaId: string): Promise<Map<string, boolean>> {
  const rows = await query<{ offer_id: string; accepted: number }>(client, {
    query: namedQuery('offer-answers'), params: { rma: rmaId }, tag: 'returns.offer_answers',
  })
  return new Map(rows.map((r) => [r.offer_id, Number(r.accepted) === 1]))
}

export async function getTimeline(client: ClickHouseClient, rmaId: string): Promise<TimelineEntry[]> {
  const rows = await query<{ status: string; at: string; node_id: string; line_id: string; note: string }>(client, {
    query: `SELECT status, occurred_at AS at, node_id, line_id, note FROM return_status
            WHERE rma_id = {rma:String} ORDER BY occurred_at, event_id`,
    params: { rma: rmaId }, tag: 'returns.timeline',
  })
  return rows.map((r) => ({
    status: r.status, at: chTimeToIso(r.at),
    ...(r.node_id ? { nodeId: r.node_id } : {}), ...(r.line_id ? { lineId: r.line_id } : {}), ...(r.note ? { note: r.note } : {}),
  }))
}

export async function getInspections(client: ClickHouseClient, rmaId: string): Promise<InspectionEntry[]> {
  const rows = await query<{ line_id: string; sku: string; grade: string; node_id: string; findings: string; at: string }>(client, {
    query: `SELECT line_id, sku, grade, node_id, findings, occurred_at AS at FROM inspections
            WHERE rma_id = {rma:String} ORDER BY occurred_at`,
    params: { rma: rmaId }, tag: 'returns.inspections',
  })
  return rows.map((r) => ({
    ...(r.line_id ? { lineId: r.line_id } : {}), sku: r.sku, grade: r.grade, nodeId: r.node_id,
    ...(r.findings ? { findings: r.findings } : {}), at: chTimeToIso(r.at),
  }))
}

export async function rmaOfToken(client: ClickHouseClient, token: string): Promise<string | undefined> {
  const rows = await query<{ rma_id: string }>(client, {
    query: 'SELECT rma_id FROM tracking_tokens WHERE token_sha256 = SHA256({token:String}) LIMIT 1',
    params: { token }, tag: 'track.token',
  })
  return rows[0]?.rma_id
}

/** The newest `limit` return requests (for the what-if preview): ids from the narrow index, payloads by primary key. */
export async function recentReturnRequests(client: ClickHouseClient, limit: number): Promise<ReturnRequested[]> {
  const rows = await query<{ payload: string }>(client, {
    query: `SELECT payload FROM raw_events
            WHERE event_id IN (SELECT event_id FROM returns_by_rma ORDER BY occurred_at DESC LIMIT {limit:UInt32})
            ORDER BY occurred_at`,
    params: { limit }, tag: 'returns.recent',
  })
  return rows.map((r) => JSON.parse(r.payload) as ReturnRequested)
}

/** The newest decisions across all returns (the dashboard's feed after a reload). */
export async function recentDecisions(client: ClickHouseClient, limit: number): Promise<Decision[]> {
  // The 7-day bound prunes to the newest monthly partitions; a feed needs nothing older.
  const rows = await query<DecisionColumns>(client, {
    query: `SELECT ${DECISION_COLUMNS} FROM decisions
            WHERE decided_at >= now64(3) - INTERVAL 7 DAY
            ORDER BY decided_at DESC, decision_id DESC LIMIT {limit:UInt32}`,
    params: { limit }, tag: 'decisions.recent',
  })
  return rows.map(decodeDecisionRow)
}
