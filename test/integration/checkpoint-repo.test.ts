// A navigator checkpoint in the store: its state in chunk rows under a header row written
// last. Chunks come back exactly and in order; a checkpoint missing a chunk (a write that
// stopped half-way) is not offered as whole; the single-row layout before chunks is
// passed over without being read; pruning drops chunks no header names.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'
import { networkFingerprint, SNAPSHOT_FORMAT, toSnapshotChunks } from '../../server/navigator/snapshot.js'
import type { ReturnRequested } from '../../server/contracts/events.js'
import { NavigatorState, OpenReturn, type HeldDecision } from '../../server/navigator/state.js'
import { loadCheckpoint } from '../../server/navigator-service/restore.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { insertCheckpoint, latestCheckpoints, readCheckpointChunk } from '../../server/store/checkpoint-repo.js'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { migrate } from '../../server/store/migrate.js'
import { toChTime } from '../../server/store/query.js'

let dir: string
let store: StoreClient
const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
const cut = { receivedAtMs: Date.parse('2026-11-30T10:00:00Z'), eventIds: ['e1'], decisionIds: ['d1'] }
const header = (takenAtMs: number) => ({ takenAtMs, format: SNAPSHOT_FORMAT, network: networkFingerprint(network), cut })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revnav-checkpoint-'))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await migrate(store.client)
}, 120_000)

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  await store.client.command({ query: 'TRUNCATE TABLE navigator_checkpoints' })
  await store.client.command({ query: 'TRUNCATE TABLE navigator_checkpoint_chunks' })
})

/** A state whose text runs over many chunks of `bound`, with text that needs escaping. */
function bigState(returns: number): NavigatorState {
  const state = new NavigatorState(network)
  const tables = state.tables()
  tables.openReturns = Array.from({ length: returns }, (_, i) => [`RMA-${i}`, OpenReturn.fromJSON({
    request: { rmaId: `RMA-${i}`, note: `"quoted" \\back\\slash\\ tab\t newline\n ¥ 日本 ${'x'.repeat(200)}` } as unknown as ReturnRequested,
    lines: [[0, { decision: { decisionId: `D-${i}` } as HeldDecision, status: 'received' }]],
    statusByLine: [[0, 'received']],
  })])
  state.loadTables(tables)
  return state
}

it('stores a state of many chunks and reads every chunk back exactly, in order', async () => {
  const chunks = toSnapshotChunks(bigState(20_000), 256 * 1024)
  expect(chunks.length).toBeGreaterThan(20)
  const copy = [...chunks]
  const at = Date.parse('2026-11-30T10:00:01Z')
  const bytes = await insertCheckpoint(store.client, store.rows, header(at), copy)
  expect(bytes).toBeGreaterThan(chunks.reduce((s, c) => s + c.length, 0))
  const [latest] = await latestCheckpoints(store.client)
  expect(latest).toMatchObject({ takenAtMs: at, cut, chunks: chunks.length, complete: true })
  for (let i = 0; i < chunks.length; i++) expect((await readCheckpointChunk(store.client, at, i)) === chunks[i].toString('utf8'), `chunk ${i}`).toBe(true)
})

it('a checkpoint missing a chunk is not whole: the loader takes the older whole one', async () => {
  const older = Date.parse('2026-11-30T10:00:01Z')
  const newer = older + 60_000
  const state = bigState(2_000)
  const chunks = toSnapshotChunks(state, 64 * 1024)
  expect(chunks.length).toBeGreaterThan(3)
  await insertCheckpoint(store.client, store.rows, header(older), [...chunks])
  await insertCheckpoint(store.client, store.rows, header(newer), [...chunks])
  await store.client.command({ query: `DELETE FROM navigator_checkpoint_chunks WHERE taken_at = '${toChTime(newer)}' AND chunk = 2` })
  const [first, second] = await latestCheckpoints(store.client)
  expect(first).toMatchObject({ takenAtMs: newer, complete: false })
  expect(second).toMatchObject({ takenAtMs: older, complete: true })

  const skipped: string[] = []
  const loaded = await loadCheckpoint(store.client, network, skipped)
  expect(loaded?.takenAtMs).toBe(older)
  expect(skipped).toEqual([expect.stringMatching(/not all of its \d+ chunks/)])
  expect(loaded!.state.tables().openReturns).toHaveLength(2_000)
})

it('a write that fails on its chunks stores no header: the older checkpoint stays the one loaded', async () => {
  const older = Date.parse('2026-11-30T10:00:01Z')
  const chunks = toSnapshotChunks(bigState(2_000), 64 * 1024)
  await insertCheckpoint(store.client, store.rows, header(older), [...chunks])
  const failing = { ...store.rows, insertTabSeparated: async () => { throw new Error('store went away') } }
  await expect(insertCheckpoint(store.client, failing, header(older + 60_000), [...chunks])).rejects.toThrow(/went away/)
  expect((await latestCheckpoints(store.client)).map((h) => h.takenAtMs)).toEqual([older])
  expect((await loadCheckpoint(store.client, network, []))?.takenAtMs).toBe(older)
})

it('a header written before its last chunk (the last one lost) is not whole either', async () => {
  const at = Date.parse('2026-11-30T10:00:01Z')
  const chunks = toSnapshotChunks(bigState(2_000), 64 * 1024)
  await insertCheckpoint(store.client, store.rows, header(at), [...chunks])
  await store.client.command({ query: `DELETE FROM navigator_checkpoint_chunks WHERE chunk = ${chunks.length - 1}` })
  const skipped: string[] = []
  expect(await loadCheckpoint(store.client, network, skipped)).toBeNull()
  expect(skipped).toHaveLength(1)
})

it('passes over a checkpoint of the single-row layout (an older format) without failing', async () => {
  const at = Date.parse('2026-11-30T10:00:01Z')
  await store.client.insert({
    table: 'navigator_checkpoints', format: 'JSONEachRow',
    values: [{ taken_at: toChTime(at), format: 3, network: networkFingerprint(network), cut_received_at: toChTime(at), cut_event_ids: [], cut_decision_ids: [], state: '{"tables":{}}' }],
  })
  const [old] = await latestCheckpoints(store.client)
  expect(old).toMatchObject({ format: 3, chunks: 0, complete: false })
  const skipped: string[] = []
  expect(await loadCheckpoint(store.client, network, skipped)).toBeNull()
  expect(skipped).toEqual([expect.stringMatching(/snapshot format 3/)])
})

it('keeps the two newest checkpoints and drops the chunks of others and of headerless writes', async () => {
  const t0 = Date.parse('2026-11-30T10:00:00Z')
  const chunks = toSnapshotChunks(bigState(500), 16 * 1024)
  // A write that stopped before its header.
  await store.rows.insertTabSeparated('navigator_checkpoint_chunks', Buffer.from(`${toChTime(t0 - 1)}\t0\t{}\n`))
  for (let i = 0; i < 3; i++) await insertCheckpoint(store.client, store.rows, header(t0 + i * 1000), [...chunks])
  const headers = await latestCheckpoints(store.client, 10)
  expect(headers.map((h) => h.takenAtMs)).toEqual([t0 + 2000, t0 + 1000])
  const rs = await store.client.query({ query: 'SELECT toUnixTimestamp64Milli(taken_at) AS at, count() AS n FROM navigator_checkpoint_chunks GROUP BY at ORDER BY at', format: 'JSONEachRow' })
  expect((await rs.json<{ at: number; n: number }>()).map((r) => [Number(r.at), Number(r.n)])).toEqual([[t0 + 1000, chunks.length], [t0 + 2000, chunks.length]])
})
