// Writes checkpoints of the navigator's live state, periodically and on clean shutdown,
// with the cut of the event stream they cover (see sql/migrations/0032).
//
// Why the cut is exact: received_at is stamped when an event is routed, never going back
// in routing order (server/ingest/ingest.ts), so every event routed after the snapshot
// has received_at >= the last stamp routed before it; at exactly that millisecond, the
// events (and their decisions) already in the state are listed by id. The state also
// holds events still being written when it was taken: the checkpoint is stored only
// once each of those is durable; if one is taken back instead (its write failed, the
// producer will send it again), the checkpoint is dropped and the next one tried later.
// Taking the snapshot is one synchronous step (a consistent cut); storing it is not, and
// ingestion goes on meanwhile. It is stored in chunks, the header row last
// (server/store/checkpoint-repo.ts): a write that fails half-way leaves no checkpoint.
import type { ClickHouseClient } from '@clickhouse/client'
import { networkFingerprint, SNAPSHOT_FORMAT, toSnapshotChunks } from '../navigator/snapshot.js'
import type { Network } from '../navigator/network.js'
import type { NavigatorState } from '../navigator/state.js'
import { insertCheckpoint, type CheckpointCut } from '../store/checkpoint-repo.js'
import type { RowSink } from '../store/row-sink.js'

export interface CheckpointLog { info(msg: string): void; warn(msg: string): void }

export interface CheckpointerOptions {
  /** Between periodic checkpoints (only taken when something was routed since the last). */
  everyMs: number
  /** How long a checkpoint waits for the writes it includes before it is dropped. */
  settleTimeoutMs?: number
  /**
   * How long a periodic checkpoint may wait for a quiet moment (see `busy`) before it is
   * taken anyway; default 30 minutes.
   */
  maxDeferMs?: number
  /** Bound on a chunk of the state's text (snapshot.ts DEFAULT_CHUNK_BYTES unless given; small in tests). */
  chunkBytes?: number
  log?: CheckpointLog
  now?: () => number
}

interface Attempt { waitingFor: Set<object>; failed: boolean; wake: () => void }

export class Checkpointer {
  /** The last arrival stamp routed, and what was routed at exactly that millisecond. */
  private lastMs: number
  private readonly atLast = new Map<string, string[]>()
  /** Changes routed whose write has not settled. */
  private readonly unsettled = new Map<object, { key: string; ms: number }>()
  private attempt: Attempt | null = null
  private running: Promise<boolean> | null = null
  private changedSinceCheckpoint = false
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  /** When the last periodic checkpoint was started (the period counts from start-up first). */
  private lastTakenAt: number
  /** When the periodic checkpoint due now first found the server busy (0: not deferred). */
  private deferredSince = 0
  /**
   * True while ingest is under way. Taking the snapshot is one synchronous step, seconds
   * for a large state (every open return of the window), and holds every request and
   * /healthz meanwhile: a periodic checkpoint waits for a moment without ingest.
   */
  busy: () => boolean = () => false
  /**
   * True while a checkpoint must not be stored at all: orphaned decisions are waiting to
   * be rolled back (server/ingest/orphan-rollback.ts), and a restart finds them only in
   * the decisions stored after the newest checkpoint's cut.
   */
  held: () => boolean = () => false
  /** Figures of the last checkpoint written (for the log and the bench). */
  last: { takenAt: string; bytes: number; chunks: number; snapshotMs: number; writeMs: number } | null = null

  constructor(
    private readonly client: ClickHouseClient,
    private readonly rows: RowSink,
    private readonly network: Network,
    private readonly state: () => NavigatorState,
    private readonly opts: CheckpointerOptions,
    restoredCut?: CheckpointCut,
  ) {
    // After a restore from a checkpoint, its cut still describes what the state holds
    // until something newer is routed.
    this.lastMs = restoredCut?.receivedAtMs ?? -1
    this.lastTakenAt = (opts.now ?? Date.now)()
    if (restoredCut) {
      for (const id of restoredCut.eventIds) this.atLast.set(id, [])
      if (restoredCut.decisionIds.length) this.atLast.set('\u0000restored', restoredCut.decisionIds)
    }
  }

  start(): void {
    if (this.timer || this.stopped) return
    // Checked more often than checkpoints are due, so a deferred one finds a quiet moment soon.
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.min(this.opts.everyMs, 5_000)))
    this.timer.unref()
  }

  private tick(): void {
    const now = (this.opts.now ?? Date.now)()
    if (!this.changedSinceCheckpoint || now - this.lastTakenAt < this.opts.everyMs) return
    if (this.busy()) {
      this.deferredSince ||= now
      if (now - this.deferredSince < (this.opts.maxDeferMs ?? 30 * 60_000)) return
    }
    this.deferredSince = 0
    this.lastTakenAt = now
    void this.checkpoint()
  }

  /** The state holds something no stored checkpoint does (a replay on start): the next one is due. */
  markChanged(): void {
    this.changedSinceCheckpoint = true
  }

  /** The next arrival stamp to give a change made outside ingestion (a capacity change). */
  stampNow(): number {
    return Math.max((this.opts.now ?? Date.now)(), this.lastMs)
  }

  /** A change was routed into the state: `key` names it in raw_events (its event id). */
  routed(change: object, key: string, receivedMs: number, decisionIds: string[]): void {
    if (receivedMs > this.lastMs) {
      this.lastMs = receivedMs
      this.atLast.clear()
    } else if (receivedMs < this.lastMs) {
      // Not expected (stamps never go back); the state holds it and a later cut covers it.
      this.opts.log?.warn(`navigator checkpoint: ${key} routed with an arrival stamp older than the last one`)
    }
    if (receivedMs === this.lastMs) this.atLast.set(key, [...(this.atLast.get(key) ?? []), ...decisionIds])
    this.unsettled.set(change, { key, ms: receivedMs })
    this.changedSinceCheckpoint = true
  }

  /** The change's write is durable. */
  confirmed(change: object): void {
    this.unsettled.delete(change)
    this.settle(change)
  }

  /** The change's write failed and the state took it back. */
  undone(change: object): void {
    const u = this.unsettled.get(change)
    this.unsettled.delete(change)
    // Its retry is a new arrival; its id must not stay listed as held by the state.
    if (u && u.ms === this.lastMs) this.atLast.delete(u.key)
    if (this.attempt?.waitingFor.has(change)) this.attempt.failed = true
    this.settle(change)
  }

  /** Takes and stores a checkpoint now (one at a time); true when one was stored. */
  checkpoint(): Promise<boolean> {
    return (this.running ??= this.takeAndStore().finally(() => { this.running = null }))
  }

  /** Stops the periodic checkpoints; with `final`, stores one last checkpoint first. */
  async stop(final: boolean): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    if (final && this.changedSinceCheckpoint) await this.checkpoint()
  }

  private settle(change: object): void {
    const a = this.attempt
    if (!a || !a.waitingFor.delete(change)) return
    if (a.failed || a.waitingFor.size === 0) a.wake()
  }

  private async takeAndStore(): Promise<boolean> {
    if (this.held()) {
      this.changedSinceCheckpoint = true
      this.opts.log?.info('navigator checkpoint held: orphaned decisions are still to be rolled back; next one later')
      return false
    }
    const now = this.opts.now ?? Date.now
    // The cut: synchronous from here to the snapshot, so nothing is routed in between.
    const takenAtMs = now()
    const cut: CheckpointCut = {
      receivedAtMs: Math.max(this.lastMs, 0),
      eventIds: [...this.atLast.keys()].filter((k) => !k.startsWith('\u0000')),
      decisionIds: [...this.atLast.values()].flat(),
    }
    const t0 = performance.now()
    const chunks: (Buffer | null)[] = toSnapshotChunks(this.state(), this.opts.chunkBytes)
    const snapshotMs = performance.now() - t0
    const attempt: Attempt = { waitingFor: new Set(this.unsettled.keys()), failed: false, wake: () => {} }
    this.changedSinceCheckpoint = false
    if (attempt.waitingFor.size > 0) {
      this.attempt = attempt
      const timeout = this.opts.settleTimeoutMs ?? 60_000
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { attempt.failed = true; resolve() }, timeout)
        attempt.wake = () => { clearTimeout(timer); resolve() }
      })
      this.attempt = null
    }
    if (attempt.failed) {
      this.changedSinceCheckpoint = true
      this.opts.log?.info('navigator checkpoint dropped: a change it holds was not stored; next one later')
      return false
    }
    const t1 = performance.now()
    const count = chunks.length
    let bytes: number
    try {
      bytes = await insertCheckpoint(this.client, this.rows, {
        takenAtMs, format: SNAPSHOT_FORMAT, network: networkFingerprint(this.network), cut,
      }, chunks)
    } catch (error) {
      this.changedSinceCheckpoint = true
      this.opts.log?.warn(`navigator checkpoint not stored: ${(error as Error).message}`)
      return false
    }
    this.last = {
      takenAt: new Date(takenAtMs).toISOString(), bytes, chunks: count,
      snapshotMs: Math.round(snapshotMs), writeMs: Math.round(performance.now() - t1),
    }
    this.opts.log?.info(`navigator checkpoint stored: ${this.last.bytes} bytes in ${count} chunks, snapshot ${this.last.snapshotMs} ms, write ${this.last.writeMs} ms`)
    return true
  }
}
