// Rolls back orphaned decisions: those a request stored before its raw events' write
// failed (ingest.ts writes decisions first), and those a restart finds stored after the
// last checkpoint's cut without their event (the process died between the two writes).
// Readers that show decisions already hide them (sql/queries/decisions-visible.sql), but
// the views fed from decisions (cost facts, tasks, tracking tokens, milestones) count
// them; the rollback deletes them there too, so a refused request leaves nothing behind.
//
// A rollback runs under a dedupe claim of its events: a producer's retry of one of them
// either finished first (its event is stored: nothing is an orphan, nothing is deleted)
// or waits until the rollback is done and then decides and stores afresh (an importer's
// request is refused for the moment instead, dedupe.ts says why). Rollbacks the
// store refuses are retried with a growing pause; while any is pending no navigator
// checkpoint is stored, so a restart's search from the last cut still finds them.
import type { ClickHouseClient } from '@clickhouse/client'
import { addRefs, decisionsOfEvents, deleteDecisions, noDecisions, rebuildMilestones, storedEventIds, type DecisionsToRollBack } from '../store/orphans-repo.js'
import type { EventDeduper } from './dedupe.js'

/** What one refused write left behind: the decisions each event caused, as far as known. */
export type OrphanedDecisions = Map<string, DecisionsToRollBack>

export interface OrphanRollbackLog { info(msg: string): void; warn(msg: string): void }

interface Pending {
  /** Each event's decisions, as far as known: what ingest remembers, and what the store holds. */
  byEvent: OrphanedDecisions
  /** The decisions were stored at or after this (their request's arrival; a restart's cut). */
  sinceMs: number
  /**
   * Every return a decision was deleted for, kept across attempts: their milestones are
   * rebuilt even when a retry meanwhile stored the event (an attempt cut short may have
   * deleted the milestones before rebuilding them).
   */
  rmaIds: Set<string>
  /** Wakes those waiting for its next attempt to be over, done or not (add()'s promises). */
  attempted: () => void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class OrphanRollbacks {
  /** What is waiting: rolled back together, as one, at the next attempt. */
  private queue: Pending | null = null
  /** What the attempt under way rolls back. */
  private current: Pending | null = null
  private running: Promise<void> | null = null
  /** Attempts failed in a row (> 0: the store is not taking rollbacks now). */
  private failures = 0
  private closed = false
  /** Events whose decisions were rolled back since start (for the log and the tests). */
  rolledBack = 0

  constructor(
    private readonly client: ClickHouseClient,
    private readonly deduper: Pick<EventDeduper, 'claim' | 'confirm' | 'release'>,
    private readonly opts: { log?: OrphanRollbackLog; retryBaseMs?: number; retryMaxMs?: number } = {},
  ) {}

  /** Events whose rollback is not done yet, those under way included. */
  get pending(): number { return (this.queue?.byEvent.size ?? 0) + (this.current?.byEvent.size ?? 0) }

  /**
   * Rolls back what `orphans` left (decisions stored at or after `sinceMs`), at once and
   * until it is done. Settles when its first attempt is over (done, or failed and to be
   * retried), or after `waitMs` at most, or at once while the store refuses rollbacks:
   * a refused request is answered once what it left is gone, whenever the store allows.
   */
  add(orphans: OrphanedDecisions, sinceMs: number, waitMs = 5_000): Promise<void> {
    if (orphans.size === 0 || this.closed) return Promise.resolve()
    let timer: NodeJS.Timeout | undefined
    const attempted = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.failures > 0 ? 0 : waitMs)
      this.enqueue({ byEvent: new Map(orphans), sinceMs, rmaIds: new Set(), attempted: resolve })
    })
    this.running ??= this.runAll().finally(() => { this.running = null })
    return attempted.finally(() => clearTimeout(timer))
  }

  /** Settles once nothing is pending, or once closed. */
  async settled(): Promise<void> {
    while (this.running) await this.running
  }

  /** Stops retrying; what is pending is found again by the next start's search. */
  close(): void {
    this.closed = true
  }

  private enqueue(p: Pending): void {
    const q = this.queue
    if (!q) { this.queue = p; return }
    for (const [id, refs] of p.byEvent) {
      const known = q.byEvent.get(id)
      if (known) addRefs(known, refs)
      else q.byEvent.set(id, refs)
    }
    q.sinceMs = Math.min(q.sinceMs, p.sinceMs)
    for (const rma of p.rmaIds) q.rmaIds.add(rma)
    const before = q.attempted
    q.attempted = () => { before(); p.attempted() }
  }

  private async runAll(): Promise<void> {
    while (this.queue && !this.closed) {
      const next = this.queue
      this.queue = null
      this.current = next
      let failure: { error: unknown } | null = null
      try {
        await this.rollBack(next)
      } catch (error) {
        failure = { error }
      } finally {
        this.current = null
      }
      const attempted = next.attempted
      next.attempted = () => {}
      if (!failure) {
        this.failures = 0
        attempted()
        continue
      }
      // Back in front of whatever came meanwhile, with what this attempt learned.
      const later = this.queue as Pending | null
      this.queue = next
      if (later) this.enqueue(later)
      this.failures++
      const pauseMs = Math.min((this.opts.retryBaseMs ?? 500) * 2 ** (this.failures - 1), this.opts.retryMaxMs ?? 30_000)
      const events = [...next.byEvent.keys()]
      this.opts.log?.warn(`rollback of orphaned decisions (events ${events.slice(0, 3).join(', ')}${events.length > 3 ? ', …' : ''}) failed, retried in ${pauseMs} ms: ${error(failure.error)}`)
      attempted()
      await sleep(pauseMs)
    }
  }

  private async rollBack(p: Pending): Promise<void> {
    const eventIds = [...p.byEvent.keys()]
    const duplicates = await this.deduper.claim(eventIds, { mode: 'wait', byRollback: true })
    const claimed = eventIds.filter((id) => !duplicates.has(id))
    let stored = new Set<string>()
    try {
      stored = await storedEventIds(this.client, claimed)
      // A stored event is no orphan (its retry came first, or a write that timed out did
      // land): its decisions are its own now and stay.
      for (const id of eventIds) if (duplicates.has(id) || stored.has(id)) p.byEvent.delete(id)
      const orphaned = [...p.byEvent.keys()]
      for (const [id, found] of await decisionsOfEvents(this.client, orphaned, p.sinceMs)) addRefs(p.byEvent.get(id)!, found)
      const refs = noDecisions()
      for (const r of p.byEvent.values()) addRefs(refs, r)
      for (const rma of refs.rmaIds) p.rmaIds.add(rma)
      await deleteDecisions(this.client, refs)
      await rebuildMilestones(this.client, p.rmaIds)
      if (orphaned.length > 0) {
        this.rolledBack += orphaned.length
        this.opts.log?.info(`rolled back ${refs.decisionIds.size} orphaned decisions of ${orphaned.length} refused events`)
      }
    } finally {
      // Stored events are seen from now on; the others are free for the producer's retry.
      this.deduper.confirm([...stored])
      this.deduper.release(claimed.filter((id) => !stored.has(id)))
    }
  }
}

function error(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
