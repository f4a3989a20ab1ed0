// The returns that changes still being written have re-decided, per return, in the order
// the changes were made. Two requests can change the same return while both writes are
// in flight (a request and its inspection sent back to back, or a stock drop re-routing
// it); if the earlier write fails, putting the return back as it was before the earlier
// change would throw away the later change, whose write may still succeed. So a failed
// change restores a return only when no later change to it is in flight; otherwise the
// later change inherits the failed one's "before", and restores to it if it fails too.
// Either order of failures ends with the return as the stored changes left it.
import type { ReturnSnapshot } from '../navigator/state.js'

interface Pending { change: object; before: ReturnSnapshot }

export class InFlightReturns {
  private readonly byReturn = new Map<string, Pending[]>()
  private readonly returnsOf = new Map<object, string[]>()

  /** `change` (an event, or any token) re-decided these returns; each snapshot was taken before it. */
  add(change: object, before: ReturnSnapshot[]): void {
    if (before.length === 0) return
    this.returnsOf.set(change, before.map((s) => s.rmaId))
    for (const snapshot of before) {
      const pending = this.byReturn.get(snapshot.rmaId) ?? []
      pending.push({ change, before: snapshot })
      this.byReturn.set(snapshot.rmaId, pending)
    }
  }

  /**
   * The change's write is durable: nothing of it will be taken back. A later change's
   * snapshot was taken after this one, so if it fails it restores to what this one left.
   */
  confirm(change: object): void {
    for (const rmaId of this.take(change)) this.remove(rmaId, this.indexOf(rmaId, change))
  }

  /** The change's write failed: the snapshots to restore now, newest first. */
  undo(change: object): ReturnSnapshot[] {
    const restore: ReturnSnapshot[] = []
    for (const rmaId of this.take(change).reverse()) {
      const pending = this.byReturn.get(rmaId)!
      const i = this.indexOf(rmaId, change)
      if (i + 1 < pending.length) pending[i + 1].before = pending[i].before
      else restore.push(pending[i].before)
      this.remove(rmaId, i)
    }
    return restore
  }

  /** Returns with a change in flight (for tests and metrics). */
  get size(): number { return this.byReturn.size }

  private take(change: object): string[] {
    const rmaIds = this.returnsOf.get(change) ?? []
    this.returnsOf.delete(change)
    return rmaIds
  }

  private indexOf(rmaId: string, change: object): number {
    return this.byReturn.get(rmaId)!.findIndex((p) => p.change === change)
  }

  private remove(rmaId: string, i: number): void {
    const pending = this.byReturn.get(rmaId)!
    pending.splice(i, 1)
    if (pending.length === 0) this.byReturn.delete(rmaId)
  }
}
