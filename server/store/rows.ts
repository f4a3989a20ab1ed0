// Rows of the tables the application writes itself (the typed event tables are filled
// by materialised views from raw_events).
import type { Event } from '../contracts/events.js'
import type { DecisionRecord } from '../contracts/decision-record.js'
import { JsonLines } from './json-lines.js'
import { toChTime } from './query.js'
import { costTermsOf, decidedAtColumn, compactDecisionPayload } from './decision-codec.js'

// Payloads are JSON text inside the row's JSON line (escaped once more when the row is stringified).
// Nesting them as objects instead (stored as text by input_format_json_read_objects_as_strings)
// saves a stringify in JS but costs the store more, and the store is the bottleneck
// (docs/benchmarks.md).
// `receivedAt` is the DateTime64 text (toChTime) of the request's arrival, formatted once
// for all its events.
export function rawEventRow(event: Event, receivedAt: string) {
  return {
    event_id: event.eventId,
    type: event.type,
    occurred_at: toChTime(Date.parse(event.occurredAt)),
    received_at: receivedAt,
    payload: JSON.stringify(event),
  }
}

// A request's decisions share their arrival time: its text is formatted once.
let lastReceivedMs = NaN
let lastReceivedText = ''
function receivedAtText(receivedAt: Date): string {
  const ms = receivedAt.getTime()
  if (ms !== lastReceivedMs) {
    lastReceivedText = toChTime(ms)
    lastReceivedMs = ms
  }
  return lastReceivedText
}

/** The columns of a decision row, in the order decisionValues gives them (JSONCompactEachRow). */
export const DECISION_COLUMNS = [
  'received_at', 'decision_id', 'event_id', 'rma_id', 'line_index', 'sku', 'category', 'reason', 'supersedes', 'trigger',
  'decided_at', 'resolution', 'inbound_mode', 'receiving_node_id', 'exchange_source_node_id', 'disposition',
  'net_cost', 'recovery', 'wait_hours', 'co2_kg', 'score', 'candidates', 'weights_version', 'priority',
  'baseline_resolution', 'baseline_disposition', 'baseline_net_cost', 'baseline_wait_hours', 'baseline_co2_kg',
  'tracking_token', 'logistics', 'handling', 'refunds', 'repair', 'payload',
] as const

/** A decision's row as the values of DECISION_COLUMNS: what the ingest path stores. */
export function decisionValues({ decision: d, category, reason, receivedAt, eventId }: DecisionRecord) {
  const terms = costTermsOf(d.breakdown)
  return [
    // Null stores the column's default (decided_at).
    receivedAt ? receivedAtText(receivedAt) : null,
    d.decisionId, eventId ?? '', d.rmaId, d.lineIndex, d.sku, category, reason, d.supersedes ?? '', d.trigger ?? 'requested',
    decidedAtColumn(d), d.resolution, d.inboundMode, d.receivingNodeId ?? '', d.exchangeSourceNodeId ?? '', d.disposition,
    d.totals.netCost, d.totals.recovery, d.totals.waitHours, d.totals.co2Kg, d.totals.score, d.candidates, d.weightsVersion, d.priority,
    d.baseline.resolution, d.baseline.disposition, d.baseline.totals.netCost, d.baseline.totals.waitHours, d.baseline.totals.co2Kg,
    d.trackingToken, terms.logistics, terms.handling, terms.refunds, terms.repair,
    JSON.stringify(compactDecisionPayload(d)),
  ]
}

/** Rows of `records` (more may be pushed as decisionValues); the writer inserts them as JSONCompactEachRow. */
export const decisionLines = (records: readonly DecisionRecord[] = []) => JsonLines.of(records.map(decisionValues), DECISION_COLUMNS)

/** The same row as an object of its columns (JSONEachRow; received_at left out when unknown). */
export function decisionRow(record: DecisionRecord): Record<(typeof DECISION_COLUMNS)[number], unknown> {
  const values = decisionValues(record)
  const row: Record<string, unknown> = {}
  DECISION_COLUMNS.forEach((column, i) => { if (values[i] !== null) row[column] = values[i] })
  return row as Record<(typeof DECISION_COLUMNS)[number], unknown>
}
