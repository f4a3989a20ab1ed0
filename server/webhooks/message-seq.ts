// The order key of outbox messages: increasing across restarts (milliseconds × 1,000 plus
// a counter). A batch of more than 1,000 messages in one millisecond borrows the next
// milliseconds, so every message still sorts before those of any later batch.
export class MessageSeq {
  private lastMs = 0
  private count = 0

  next(at: Date): number {
    const ms = Math.max(at.getTime(), this.lastMs)
    if (ms !== this.lastMs) { this.lastMs = ms; this.count = 0 }
    if (this.count === 1000) { this.lastMs++; this.count = 0 }
    return this.lastMs * 1000 + this.count++
  }
}
