// Reads of one return: the request, its decisions (newest first), status timeline and
// inspections. Used by the return page, the tracking page and re-routing.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import type { Decision } from '../contracts/decision.js'
import type { ReturnRequested } from '../contracts/events.js'
import { chTimeToIso, namedQuery, query } from './query.js'
import { DecisionRow, decodeDecisionRow } from './decision-codec.js'

export interface TimelineEntry { status: string; at: string; nodeId?: string; lineId?: string; note?: string }
export interface InspectionEntry { lineId?: string; sku: string; grade: string; nodeId: string; findings?: string; at: string }

const PayloadRow = z.object({ payload: z.string() })
const TimelineRow = z.object({ status: z.string(), at: z.string(), node_id: z.string(), line_id: z.string(), note: z.string() })
const InspectionRow = z.object({
  line_id: z.string(), sku: z.string(), grade: z.string(), node_id: z.string(), findings: z.string(), at: z.string(),
})
const RmaRow = z.object({ rma_id: z.string() })
const OfferAnswerRow = z.object({ offer_id: z.string(), accepted: z.coerce.number() })

export async function getReturnRequest(client: ClickHouseClient, rmaId: string): Promise<ReturnRequested | undefined> {
  const rows = await query(client, { query: namedQuery('return-request'), params: { rma: rmaId }, tag: 'returns.request', schema: PayloadRow })
  return rows[0] ? (JSON.parse(rows[0].payload) as ReturnRequested) : undefined
}

/** The requests of several returns, by return id (the first request of each). */
export async function getReturnRequests(client: ClickHouseClient, rmaIds: string[]): Promise<Map<string, ReturnRequested>> {
  const out = new Map<string, ReturnRequested>()
  if (rmaIds.length === 0) return out
  const rows = await query(client, { query: namedQuery('return-requests'), params: { rmas: rmaIds }, tag: 'returns.requests', schema: PayloadRow })
  for (const row of rows) {
    const request = JSON.parse(row.payload) as ReturnRequested
    if (!out.has(request.rmaId)) out.set(request.rmaId, request)
  }
  return out
}

/** Decisions whose event was acknowledged, or that no event caused (sql/queries/decisions-visible.sql). */
export async function getDecisions(client: ClickHouseClient, rmaId: string): Promise<Decision[]> {
  const rows = await query(client, { query: namedQuery('return-decisions'), params: { rma: rmaId }, tag: 'returns.decisions', schema: DecisionRow })
  return rows.map(decodeDecisionRow)
}

/** offerId → accepted, for the offers of a return that were answered. */
export async function getOfferAnswers(client: ClickHouseClient, rmaId: string): Promise<Map<string, boolean>> {
  const rows = await query(client, {
    schema: OfferAnswerRow,
    query: namedQuery('offer-answers'), params: { rma: rmaId }, tag: 'returns.offer_answers',
  })
  return new Map(rows.map((r) => [r.offer_id, Number(r.accepted) === 1]))
}

export async function getTimeline(client: ClickHouseClient, rmaId: string): Promise<TimelineEntry[]> {
  const rows = await query(client, { query: namedQuery('return-timeline'), params: { rma: rmaId }, tag: 'returns.timeline', schema: TimelineRow })
  return rows.map((r) => ({
    status: r.status, at: chTimeToIso(r.at),
    ...(r.node_id ? { nodeId: r.node_id } : {}), ...(r.line_id ? { lineId: r.line_id } : {}), ...(r.note ? { note: r.note } : {}),
  }))
}

export async function getInspections(client: ClickHouseClient, rmaId: string): Promise<InspectionEntry[]> {
  const rows = await query(client, {
    query: namedQuery('return-inspections'), params: { rma: rmaId }, tag: 'returns.inspections', schema: InspectionRow,
  })
  return rows.map((r) => ({
    ...(r.line_id ? { lineId: r.line_id } : {}), sku: r.sku, grade: r.grade, nodeId: r.node_id,
    ...(r.findings ? { findings: r.findings } : {}), at: chTimeToIso(r.at),
  }))
}

export async function rmaOfToken(client: ClickHouseClient, token: string): Promise<string | undefined> {
  const rows = await query(client, { query: namedQuery('tracking-token-rma'), params: { token }, tag: 'track.token', schema: RmaRow })
  return rows[0]?.rma_id
}

/** The newest `limit` return requests (for the what-if preview). */
export async function recentReturnRequests(client: ClickHouseClient, limit: number): Promise<ReturnRequested[]> {
  const rows = await query(client, { query: namedQuery('returns-recent-requests'), params: { limit }, tag: 'returns.recent', schema: PayloadRow })
  return rows.map((r) => JSON.parse(r.payload) as ReturnRequested)
}

/** The newest visible decisions across all returns (the dashboard's feed after a reload). */
export async function recentDecisions(client: ClickHouseClient, limit: number): Promise<Decision[]> {
  const rows = await query(client, { query: namedQuery('decisions-recent'), params: { limit }, tag: 'decisions.recent', schema: DecisionRow })
  return rows.map(decodeDecisionRow)
}
