// Rebuilds the navigator's live state from the store on start. From the newest checkpoint
// that can be read (server/navigator-service/checkpoints.ts writes them): the state it holds, then
// the events and decisions stored after its cut. Without one (none yet, another snapshot
// layout or network, unreadable): a full replay of the events that shape the state
// (catalog, inventory, recent orders and returns, statuses, inspections) in time order,
// then the stored decisions so reservations are held again. Both read the same window,
// and only decisions a reader may see (sql/queries/decisions-visible.sql): a decision
// whose event was refused holds nothing after a restart.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import type { Event } from '../contracts/events.js'
import { networkFingerprint, SNAPSHOT_FORMAT, SnapshotReader } from '../navigator/snapshot.js'
import type { Network } from '../navigator/network.js'
import type { NavigatorState } from '../navigator/state.js'
import { latestCheckpoints, readCheckpointChunk, type CheckpointCut } from '../store/checkpoint-repo.js'
import { DecisionRow, decodeDecisionRow } from '../store/decision-codec.js'
import { namedQuery, streamQuery } from '../store/query.js'

/** Returns older than this are closed in practice; their state no longer matters. */
const REPLAY_DAYS = 90
const DAY_MS = 86_400_000
const TAG = 'navigator.restore'

/** How the state is restored; the navigator's two replay entry points. */
export interface RestoreTarget {
  restoreEvent(event: Event): void
  restoreDecision(decision: ReturnType<typeof decodeDecisionRow>): void
}

export interface RestoreStats {
  events: number
  decisions: number
  /** 'checkpoint' when a checkpoint was loaded and only its tail replayed. */
  from: 'checkpoint' | 'full'
  checkpointTakenAt?: string
  /** Why checkpoints were passed over (each one tried), for the log. */
  skipped?: string[]
  loadMs: number
  replayMs: number
}

export interface RestoreLog { info(msg: string): void; warn(msg: string): void }

const PayloadRow = z.object({ payload: z.string() })

/** Full replay into `target` (an empty state). */
export async function replayAll(client: ClickHouseClient, target: RestoreTarget): Promise<{ events: number; decisions: number }> {
  let events = 0
  let decisions = 0
  await streamQuery(client, { query: namedQuery('navigator-replay-events'), params: { days: REPLAY_DAYS }, tag: TAG, schema: PayloadRow }, (row) => {
    target.restoreEvent(JSON.parse(row.payload) as Event)
    events++
  })
  await streamQuery(client, { query: namedQuery('navigator-replay-decisions'), params: { days: REPLAY_DAYS }, tag: TAG, schema: DecisionRow }, (row) => {
    target.restoreDecision(decodeDecisionRow(row))
    decisions++
  })
  return { events, decisions }
}

/** Replays into `target` what was stored after `cut`, in the full replay's order. */
export async function replayTail(client: ClickHouseClient, target: RestoreTarget, cut: CheckpointCut): Promise<{ events: number; decisions: number }> {
  let events = 0
  let decisions = 0
  await streamQuery(client, {
    query: namedQuery('navigator-tail-events'), params: { cutMs: cut.receivedAtMs, cutIds: cut.eventIds, days: REPLAY_DAYS }, tag: TAG, schema: PayloadRow,
  }, (row) => {
    target.restoreEvent(JSON.parse(row.payload) as Event)
    events++
  })
  await streamQuery(client, {
    query: namedQuery('navigator-tail-decisions'), params: { cutMs: cut.receivedAtMs, cutIds: cut.decisionIds, days: REPLAY_DAYS }, tag: TAG, schema: DecisionRow,
  }, (row) => {
    target.restoreDecision(decodeDecisionRow(row))
    decisions++
  })
  return { events, decisions }
}

/**
 * The newest checkpoint that fits this network and snapshot layout, is stored whole and parses, with its
 * cut; null when there is none (the reasons for passing any over are in `skipped`).
 */
export async function loadCheckpoint(client: ClickHouseClient, network: Network, skipped: string[]): Promise<{ state: NavigatorState; cut: CheckpointCut; takenAtMs: number } | null> {
  let stored
  try {
    stored = await latestCheckpoints(client)
  } catch (error) {
    skipped.push(`checkpoints unreadable: ${(error as Error).message}`)
    return null
  }
  const fingerprint = networkFingerprint(network)
  for (const c of stored) {
    const at = new Date(c.takenAtMs).toISOString()
    if (c.format !== SNAPSHOT_FORMAT) { skipped.push(`${at}: snapshot format ${c.format}, this server reads ${SNAPSHOT_FORMAT}`); continue }
    if (c.network !== fingerprint) { skipped.push(`${at}: taken with another network`); continue }
    if (!c.complete) { skipped.push(`${at}: not all of its ${c.chunks} chunks are stored`); continue }
    try {
      // Chunk by chunk: only one chunk's text is held at a time.
      const reader = new SnapshotReader(network)
      for (let i = 0; i < c.chunks; i++) reader.add(await readCheckpointChunk(client, c.takenAtMs, i))
      return { state: reader.finish(), cut: c.cut, takenAtMs: c.takenAtMs }
    } catch (error) {
      skipped.push(`${at}: ${(error as Error).message}`)
    }
  }
  return null
}

/**
 * The navigator state to start from: a checkpoint's plus its tail, or a full replay.
 * `makeTarget` builds the navigator around the state (so the replay decides nothing).
 */
export async function restoreState<T extends RestoreTarget>(
  client: ClickHouseClient, network: Network,
  build: (state: NavigatorState | undefined) => T,
  opts: { useCheckpoint: boolean; beforeReplay?: (target: T) => Promise<void>; log?: RestoreLog; now?: () => number },
): Promise<{ target: T; stats: RestoreStats; cut?: CheckpointCut }> {
  const t0 = performance.now()
  const skipped: string[] = []
  const loaded = opts.useCheckpoint ? await loadCheckpoint(client, network, skipped) : null
  if (skipped.length) opts.log?.warn(`navigator: checkpoint passed over (${skipped.join('; ')})${loaded ? '' : '; full replay'}`)
  // A checkpoint taken long ago holds returns a full replay would no longer read.
  loaded?.state.forgetBefore((opts.now ?? Date.now)() - REPLAY_DAYS * DAY_MS)
  const target = build(loaded?.state)
  await opts.beforeReplay?.(target)
  const t1 = performance.now()
  const counts = loaded ? await replayTail(client, target, loaded.cut) : await replayAll(client, target)
  const stats: RestoreStats = {
    ...counts,
    from: loaded ? 'checkpoint' : 'full',
    ...(loaded ? { checkpointTakenAt: new Date(loaded.takenAtMs).toISOString() } : {}),
    ...(skipped.length ? { skipped } : {}),
    loadMs: Math.round(t1 - t0),
    replayMs: Math.round(performance.now() - t1),
  }
  return { target, stats, cut: loaded?.cut }
}
