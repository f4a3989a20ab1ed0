// Rebuilds the navigator's live state from the store on start: replays the events that
// shape it (catalog, inventory, recent orders and returns, statuses, inspections) in
// time order, then re-installs the stored decisions so reservations are held again.
import type { ClickHouseClient } from '@clickhouse/client'
import type { Event } from '../contracts/events.js'
import type { Navigator } from '../navigator/engine.js'
import { DECISION_COLUMNS, decodeDecisionRow, type DecisionColumns } from '../store/decision-codec.js'

/** Returns older than this are closed in practice; their state no longer matters. */
const REPLAY_DAYS = 90

async function streamRows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>, onRow: (row: T) => void) {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'navigator.restore' } })
  for await (const rows of rs.stream()) {
    for (const row of rows) onRow(row.json() as T)
  }
}

export async function restoreNavigator(client: ClickHouseClient, navigator: Navigator): Promise<{ events: number; decisions: number }> {
  let events = 0
  let decisions = 0
  // Catalog and inventory from all time (they are state, not history); the rest recent.
  await streamRows(client, `
    SELECT payload FROM raw_events
    WHERE type IN ('catalog.upsert', 'inventory.snapshot', 'inventory.adjusted')
       OR (type IN ('order.placed', 'return.requested', 'return.status', 'return.inspected', 'return.offer_answered')
           AND occurred_at >= now64(3) - INTERVAL {days:UInt32} DAY)
    ORDER BY occurred_at, received_at, event_id`, { days: REPLAY_DAYS }, (row: { payload: string }) => {
    navigator.restoreEvent(JSON.parse(row.payload) as Event)
    events++
  })
  await streamRows(client, `
    SELECT ${DECISION_COLUMNS} FROM decisions FINAL
    WHERE decided_at >= now64(3) - INTERVAL {days:UInt32} DAY
    ORDER BY decided_at, decision_id`, { days: REPLAY_DAYS }, (row: DecisionColumns) => {
    navigator.restoreDecision(decodeDecisionRow(row))
    decisions++
  })
  return { events, decisions }
}
