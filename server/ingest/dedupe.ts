// Event-id dedupe across requests and restarts. raw_events is the authority (an id
// there was acknowledged); memory holds the most recent ids so the common case costs
// no query. Only when the store holds more ids than memory does a miss go to the store.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { namedQuery, query } from '../store/query.js'

const CountRow = z.object({ n: z.coerce.number() })
/** How far back the ids loaded on start go (older ones are looked up in the store). */
const RECENT_DAYS = 2
const IdRow = z.object({ event_id: z.string() })

/** One claim() call's ids in flight: settled once each is confirmed or released. */
class Claim {
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
   * Claims the ids not seen before. Returns the set of ids that are duplicates (already
   * stored). An id claimed by a request still in flight is waited for: a duplicate once
   * that request is durable, claimed here if it failed. (Answering "duplicate" at once
   * would acknowledge an event its first request may still fail to store.) Claimed ids
   * must later be confirmed (durable) or released (write failed) so a retry is not refused.
   */
  async claim(ids: string[]): Promise<Set<string>> {
    for (;;) {
      await this.inFlight(ids)
      const duplicates = new Set<string>()
      const unknown: string[] = []
      for (const id of ids) {
        if (this.seen.has(id)) duplicates.add(id)
        else unknown.push(id)
      }
      if (this.incomplete && unknown.length > 0) {
        const stored = await query(this.client, {
          query: namedQuery('dedupe-stored-ids'), params: { ids: unknown }, tag: 'dedupe.lookup', schema: IdRow,
        })
        for (const r of stored) duplicates.add(r.event_id)
      }
      // Re-check after the await: another request may have claimed one of them meanwhile.
      if (unknown.some((id) => this.pending.has(id))) continue
      const claim = new Claim()
      for (const id of unknown) {
        if (duplicates.has(id)) continue
        if (this.seen.has(id)) { duplicates.add(id); continue }
        if (this.pending.has(id)) continue // named twice in `ids`
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
