// Rows of the tables the application writes itself (the typed event tables are filled
// by materialised views from raw_events).
import type { Event } from '../contracts/events.js'
import type { DecisionRecord } from '../contracts/decision-record.js'
import { toChTime } from './query.js'
import { costTermsOf, decidedAtColumn, compactDecisionPayload } from './decision-codec.js'

// Payloads are JSON text inside the JSONEachRow line (escaped once more by the client).
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

// One literal of fixed keys: a literal that starts with a spread and then adds its ~35
// keys one by one left V8 with a slow (dictionary-mode) object, which tripled the cost of
// building a row (≈ 150 µs against ≈ 50 µs a decision, profiled on the --decide import).
export function decisionRow({ decision: d, category, reason, receivedAt, eventId }: DecisionRecord) {
  const terms = costTermsOf(d.breakdown)
  return {
    // Undefined is left out of the row's JSON: the column's default (decided_at) stands in.
    received_at: receivedAt ? receivedAtText(receivedAt) : undefined,
    decision_id: d.decisionId,
    event_id: eventId ?? '',
    rma_id: d.rmaId,
    line_index: d.lineIndex,
    sku: d.sku,
    category,
    reason,
    supersedes: d.supersedes ?? '',
    trigger: d.trigger ?? 'requested',
    decided_at: decidedAtColumn(d),
    resolution: d.resolution,
    inbound_mode: d.inboundMode,
    receiving_node_id: d.receivingNodeId ?? '',
    exchange_source_node_id: d.exchangeSourceNodeId ?? '',
    disposition: d.disposition,
    net_cost: d.totals.netCost,
    recovery: d.totals.recovery,
    wait_hours: d.totals.waitHours,
    co2_kg: d.totals.co2Kg,
    score: d.totals.score,
    candidates: d.candidates,
    weights_version: d.weightsVersion,
    priority: d.priority,
    baseline_resolution: d.baseline.resolution,
    baseline_disposition: d.baseline.disposition,
    baseline_net_cost: d.baseline.totals.netCost,
    baseline_wait_hours: d.baseline.totals.waitHours,
    baseline_co2_kg: d.baseline.totals.co2Kg,
    tracking_token: d.trackingToken,
    logistics: terms.logistics,
    handling: terms.handling,
    refunds: terms.refunds,
    repair: terms.repair,
    payload: JSON.stringify(compactDecisionPayload(d)),
  }
}
