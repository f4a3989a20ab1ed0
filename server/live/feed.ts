// Publishes long runs of live messages a slice at a time, in the order they were pushed.
// A durable batch of 10,000 returns is 30,000 messages; published in one go they held
// the event loop, and the producer's answer, for hundreds of milliseconds.
import type { LiveHub } from './hub.js'

export type LiveEntry = readonly [room: string, item: unknown]

export class LiveFeed {
  private readonly runs: Iterator<LiveEntry>[] = []
  private scheduled = false

  constructor(private readonly hub: LiveHub, private readonly sliceMs = 8) {}

  /** Queues `entries`; they are published after everything pushed before them. */
  push(entries: Iterable<LiveEntry>): void {
    this.runs.push(entries[Symbol.iterator]())
    this.schedule()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.drain())
  }

  private drain(): void {
    this.scheduled = false
    const until = performance.now() + this.sliceMs
    while (this.runs.length > 0) {
      const next = this.runs[0].next()
      if (next.done) {
        this.runs.shift()
        continue
      }
      this.hub.publish(next.value[0], next.value[1])
      if (performance.now() >= until) {
        this.schedule()
        return
      }
    }
  }
}
