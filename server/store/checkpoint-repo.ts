// Navigator checkpoints in the store: a header row in navigator_checkpoints (migration
// 0032) and the state's chunks in navigator_checkpoint_chunks (migration 0105).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { command, namedQuery, query, queryRawText, toChTime } from './query.js'
import type { RowSink } from './row-sink.js'

/** Where the event stream stood when the state was taken (see the migration). */
export interface CheckpointCut {
  receivedAtMs: number
  eventIds: string[]
  decisionIds: string[]
}

export interface CheckpointHeader {
  takenAtMs: number
  format: number
  network: string
  cut: CheckpointCut
}

export interface StoredCheckpoint extends CheckpointHeader {
  /** Chunks the header names (0: a checkpoint of the single-row layout, before chunks). */
  chunks: number
  /** Whether every one of them is stored: a write that stopped half-way leaves fewer. */
  complete: boolean
}

/** Checkpoints kept: the newest, and one before it in case the newest cannot be read. */
const KEEP = 2
/**
 * Bound on one insert's body: chunks are inserted several at a time, never the whole
 * state in one body (it would be as large as the state, outside the heap but still held).
 */
const INSERT_BYTES = 32 * 1024 * 1024
const BACKSLASH = 0x5c
const NEWLINE = 0x0a

/**
 * A chunk as a TabSeparated row: JSON text has no raw tab or newline (JSON escapes them),
 * so only its backslashes are escaped, by doubling.
 */
function chunkRow(takenAt: string, chunk: number, text: Buffer): Buffer {
  const prefix = `${takenAt}\t${chunk}\t`
  let backslashes = 0
  for (let i = text.indexOf(BACKSLASH); i !== -1; i = text.indexOf(BACKSLASH, i + 1)) backslashes++
  const row = Buffer.allocUnsafeSlow(prefix.length + text.length + backslashes + 1)
  let at = row.write(prefix, 0, 'latin1')
  let from = 0
  for (let i = text.indexOf(BACKSLASH); i !== -1; i = text.indexOf(BACKSLASH, i + 1)) {
    at += text.copy(row, at, from, i + 1)
    row[at++] = BACKSLASH
    from = i + 1
  }
  at += text.copy(row, at, from)
  row[at] = NEWLINE
  return row
}

/**
 * Stores a checkpoint: its chunks first, a few per insert, each through the store's raw
 * row path; the header last, so a checkpoint whose writing stopped half-way is never
 * taken for a whole one. `chunks` entries are released as they are written. Returns the
 * bytes of text stored.
 */
export async function insertCheckpoint(client: ClickHouseClient, rows: RowSink, header: CheckpointHeader, chunks: (Buffer | null)[]): Promise<number> {
  const takenAt = toChTime(header.takenAtMs)
  let bytes = 0
  let batch: Buffer[] = []
  let batchBytes = 0
  const flush = async () => {
    if (!batch.length) return
    const body = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes)
    batch = []
    batchBytes = 0
    await rows.insertTabSeparated('navigator_checkpoint_chunks', body)
  }
  for (let i = 0; i < chunks.length; i++) {
    const row = chunkRow(takenAt, i, chunks[i]!)
    chunks[i] = null
    bytes += row.length
    if (batchBytes + row.length > INSERT_BYTES) await flush()
    batch.push(row)
    batchBytes += row.length
  }
  await flush()
  await client.insert({
    table: 'navigator_checkpoints', format: 'JSONEachRow',
    values: [{
      taken_at: takenAt, format: header.format, network: header.network,
      cut_received_at: toChTime(header.cut.receivedAtMs), cut_event_ids: header.cut.eventIds, cut_decision_ids: header.cut.decisionIds,
      state: '', chunks: chunks.length,
    }],
  })
  await command(client, { query: namedQuery('navigator-checkpoints-prune'), params: { keep: KEEP }, tag: 'navigator.checkpoint.prune' })
  await command(client, { query: namedQuery('navigator-checkpoint-chunks-prune'), params: { takenAtMs: header.takenAtMs }, tag: 'navigator.checkpoint.prune' })
  return bytes
}

const HeaderRow = z.object({
  taken_at_ms: z.coerce.number(), format: z.coerce.number(), network: z.string(), cut_received_at_ms: z.coerce.number(),
  cut_event_ids: z.array(z.string()), cut_decision_ids: z.array(z.string()),
  chunks: z.coerce.number(), stored_chunks: z.coerce.number(), last_chunk: z.coerce.number(),
})
const CutRow = z.object({ ms: z.coerce.number(), event_ids: z.array(z.string()), decision_ids: z.array(z.string()) })

/** The newest checkpoints' headers, newest first. */
export async function latestCheckpoints(client: ClickHouseClient, limit = KEEP): Promise<StoredCheckpoint[]> {
  const rows = await query(client, {
    query: namedQuery('navigator-checkpoints-latest'), params: { limit }, tag: 'navigator.checkpoint.load', schema: HeaderRow,
  })
  return rows.map((r) => ({
    takenAtMs: r.taken_at_ms, format: r.format, network: r.network,
    cut: { receivedAtMs: r.cut_received_at_ms, eventIds: r.cut_event_ids, decisionIds: r.cut_decision_ids },
    chunks: r.chunks,
    complete: r.chunks > 0 && r.stored_chunks === r.chunks && r.last_chunk === r.chunks - 1,
  }))
}

/** The text of one chunk of the checkpoint taken at `takenAtMs`. */
export async function readCheckpointChunk(client: ClickHouseClient, takenAtMs: number, chunk: number): Promise<string> {
  return queryRawText(client, { query: namedQuery('navigator-checkpoint-chunk'), params: { takenAtMs, chunk }, tag: 'navigator.checkpoint.load' })
}

/** The newest arrival stamp stored, with the events and decisions stored at it (a restored state holds them all). */
export async function storedCut(client: ClickHouseClient): Promise<CheckpointCut> {
  const [row] = await query(client, {
    schema: CutRow,
    query: namedQuery('navigator-stored-cut'), tag: 'navigator.checkpoint.cut',
  })
  return { receivedAtMs: Number(row?.ms ?? 0), eventIds: row?.event_ids ?? [], decisionIds: row?.decision_ids ?? [] }
}
