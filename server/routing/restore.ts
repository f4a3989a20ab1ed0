// Rebuilds the navigator's live state from the store on start: replays the events that
// shape it (catalog, inventory, recent orders and returns, statuses, inspections) in
// time order, then re-installs the stored decisions so reservations are held again.
import type { ClickHouseClient } from '@clickhouse/client'
import type { Decision } from '../contracts/decision.js'
import type { Event } from '../contracts/events.js'
import type { Navigator } from '../navigator/engine.js'

/** Returns older than this are closed in practice; their state no longer matters. */
const REPLAY_DAYS = 90

async function streamRows(client: ClickHouseClient, query: string, params: Record<string, unknown>, onRow: (payload: string) => void) {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'navigator.restore' } })
  for await (const rows of rs.stream()) {
    for (const row of rows) onRow((row.json() as { payload: string }).payload)
  }
}

export async function restoreNavigator(client: ClickHouseClient, navigator: Navigator): Promise<{ events: number; decisions: number }> {
  let events = 0
  let decisions = 0
  // Catalog and inventory from all time (they are state, not history); the rest recent.
  await streamRows(client, `
    SELECT payload FROM raw_events
    WHERE type IN ('catalog.upsert', 'inventory.snapshot', 'inventory.adjusted')
       OR (type IN ('order.placed', 'return.requested', 'return.status', 'return.inspected')
           AND occurred_at >= now64(3) - INTERVAL {days:UInt32} DAY)
    ORDER BY occurred_at, received_at, event_id`, { days: REPLAY_DAYS }, (payload) => {
    navigator.restoreEvent(JSON.parse(payload) as Event)
    events++
  })
  await streamRows(client, `
    SELECT payload FROM decisions FINAL
    WHERE decided_at >= now64(3) - INTERVAL {days:UInt32} DAY
    ORDER BY decided_at, decision_id`, { days: REPLAY_DAYS }, (payload) => {
    navigator.restoreDecision(JSON.parse(payload) as Decision)
    decisions++
  })
  return { events, decisions }
}
