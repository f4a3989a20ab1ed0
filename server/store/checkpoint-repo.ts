// Navigator checkpoints in the store (table navigator_checkpoints, migration 0032).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { namedQuery, query, toChTime } from './query.js'

/** Where the event stream stood when the state was taken (see the migration). */
export interface CheckpointCut {
  receivedAtMs: number
  eventIds: string[]
  decisionIds: string[]
}

export interface StoredCheckpoint {
  takenAtMs: number
  format: number
  network: string
  cut: CheckpointCut
  state: string
}

/** Checkpoints kept: the newest, and one before it in case the newest cannot be read. */
const KEEP = 2

export async function insertCheckpoint(client: ClickHouseClient, c: StoredCheckpoint): Promise<void> {
  await client.insert({
    table: 'navigator_checkpoints', format: 'JSONEachRow',
    values: [{
      taken_at: toChTime(c.takenAtMs), format: c.format, network: c.network,
      cut_received_at: toChTime(c.cut.receivedAtMs), cut_event_ids: c.cut.eventIds, cut_decision_ids: c.cut.decisionIds,
      state: c.state,
    }],
    // The state is one row, past 100 MB with a few hundred thousand open returns, where
    // parallel parsing gives up on a row.
    clickhouse_settings: { input_format_parallel_parsing: 0 },
  })
  await client.command({ query: namedQuery('navigator-checkpoints-prune'), query_params: { keep: KEEP } })
}

const CheckpointRow = z.object({
  taken_at_ms: z.coerce.number(), format: z.coerce.number(), network: z.string(), cut_received_at_ms: z.coerce.number(),
  cut_event_ids: z.array(z.string()), cut_decision_ids: z.array(z.string()), state: z.string(),
})
const CutRow = z.object({ ms: z.coerce.number(), event_ids: z.array(z.string()), decision_ids: z.array(z.string()) })

/** The newest checkpoints, newest first. */
export async function latestCheckpoints(client: ClickHouseClient, limit = KEEP): Promise<StoredCheckpoint[]> {
  const rows = await query(client, {
    query: namedQuery('navigator-checkpoints-latest'), params: { limit }, tag: 'navigator.checkpoint.load', schema: CheckpointRow,
  })
  return rows.map((r) => ({
    takenAtMs: Number(r.taken_at_ms), format: Number(r.format), network: r.network,
    cut: { receivedAtMs: Number(r.cut_received_at_ms), eventIds: r.cut_event_ids, decisionIds: r.cut_decision_ids },
    state: r.state,
  }))
}

/** The newest arrival stamp stored, with the events and decisions stored at it (a restored state holds them all). */
export async function storedCut(client: ClickHouseClient): Promise<CheckpointCut> {
  const [row] = await query(client, {
    schema: CutRow,
    query: namedQuery('navigator-stored-cut'), tag: 'navigator.checkpoint.cut',
  })
  return { receivedAtMs: Number(row?.ms ?? 0), eventIds: row?.event_ids ?? [], decisionIds: row?.decision_ids ?? [] }
}
