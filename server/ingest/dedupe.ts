// Event-id dedupe across requests and restarts. raw_events is the authority (an id
// there was acknowledged); memory holds the most recent ids so the common case costs
// no query. Only when the store holds more ids than memory does a miss go to the store.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { namedQuery, query } from '../store/query.js'
import { OverloadedError } from '../store/writer.js'

const CountRow = z.object({ n: z.coerce.number() })
/** How far back the ids loaded on start go (older ones are looked up in the store). */
const RECENT_DAYS = 2
const IdRow = z.object({ event_id: z.string() })

/** One claim() call's ids in flight: settled once each is confirmed or released. */
class Claim {
  constructor(readonly byRollback: boolean) {}
  remaining = 0
  private settle!: () => void
  readonly settled = new Promise<void>((resolve) => { this.settle = resolve })
  /** One of its ids is settled. */
  done(): void { if (--this.remaining === 0) this.settle() }
}

export class EventDeduper {
  private readonly seen = new Set<string>()
  /** Ids claimed by a request (or a rollback) still in flight, with their claim. */
  private readonly pending = new Map<string, Claim>()
  /** True once memory no longer covers every stored id (evicted or not loaded). */
  private incomplete = false

  constructor(private readonly client: ClickHouseClient, private readonly capacity = 2_000_000) {}

  async load(): Promise<void> {
    const [{ n }] = await query(this.client, { query: namedQuery('dedupe-count'), tag: 'dedupe.count', schema: CountRow })
    const rows = await query(this.client, {
      query: namedQuery('dedupe-recent-ids'), params: { limit: this.capacity, days: RECENT_DAYS }, tag: 'dedupe.load', schema: IdRow,
    })
    for (let i = rows.length - 1; i >= 0; i--) this.seen.add(rows[i].event_id)
    this.incomplete = n > rows.length
  }

  /**
   * How a claim meets an id another claim holds (a request or a rollback still in flight):
   * - `wait` (a request over HTTP, a rollback): waits for that claim to settle; the id is
   *   then a duplicate if it was stored, claimed here if not. Answering "duplicate" at once
   *   would acknowledge an event whose first request may still fail to store it.
   * - `nowait` (an importer's request, which holds its place in the routing order while
   *   it claims: waiting there could wait on a request queued behind it): a duplicate if
   *   a request holds it, as before; OverloadedError (retry later) if a rollback does, so
   *   the event is not acknowledged while its orphans are being deleted.
   */
  async claim(ids: string[], opts: { mode?: 'wait' | 'nowait'; byRollback?: boolean } = {}): Promise<Set<string>> {
    const wait = (opts.mode ?? 'wait') === 'wait'
    for (;;) {
      if (wait) await this.inFlight(ids)
      const duplicates = new Set<string>()
      const unknown: string[] = []
      for (const id of ids) {
        const holder = this.pending.get(id)
        if (holder?.byRollback) throw new OverloadedError(1)
        if (this.seen.has(id) || holder) duplicates.add(id)
        else unknown.push(id)
      }
      if (this.incomplete && unknown.length > 0) {
        const stored = await query(this.client, {
          query: namedQuery('dedupe-stored-ids'), params: { ids: unknown }, tag: 'dedupe.lookup', schema: IdRow,
        })
        for (const r of stored) duplicates.add(r.event_id)
      }
      // Re-check after the await: another claim may have taken one of them meanwhile.
      if (wait && unknown.some((id) => this.pending.has(id))) continue
      if (unknown.some((id) => this.pending.get(id)?.byRollback)) throw new OverloadedError(1)
      const claim = new Claim(opts.byRollback ?? false)
      for (const id of unknown) {
        if (duplicates.has(id)) continue
        const holder = this.pending.get(id)
        if (holder === claim) continue // named twice in `ids`
        if (this.seen.has(id) || holder) { duplicates.add(id); continue }
        this.pending.set(id, claim)
        claim.remaining++
      }
      return duplicates
    }
  }

  /** Settles once no id of `ids` is claimed by a request in flight. */
  private async inFlight(ids: string[]): Promise<void> {
    for (;;) {
      let waitFor: Claim | undefined
      for (const id of ids) {
        waitFor = this.pending.get(id)
        if (waitFor) break
      }
      if (!waitFor) return
      await waitFor.settled
    }
  }

  confirm(ids: Iterable<string>): void {
    for (const id of ids) {
      this.settle(id)
      this.seen.add(id)
    }
    while (this.seen.size > this.capacity) {
      // Sets iterate in insertion order: the first is the oldest.
      this.seen.delete(this.seen.values().next().value as string)
      this.incomplete = true
    }
  }

  release(ids: Iterable<string>): void {
    for (const id of ids) this.settle(id)
  }

  private settle(id: string): void {
    const claim = this.pending.get(id)
    if (!claim) return
    this.pending.delete(id)
    claim.done()
  }
}
