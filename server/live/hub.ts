// In-process publish side of the live layer. Each room keeps a sequence number and a
// bounded backlog so a reconnecting client can catch up; the Socket.IO adapter
// (socket.ts) subscribes to it and coalesces bursts per client.
import { EventEmitter } from 'node:events'

export interface LiveMessage<T = unknown> { room: string; seq: number; item: T }

export class LiveHub {
  private readonly seqs = new Map<string, number>()
  private readonly backlogs = new Map<string, LiveMessage[]>()
  private readonly emitter = new EventEmitter()
  /** Messages ever published: a (re)created room starts its seq here, above any seq it had. */
  private published = 0

  /**
   * @param backlogSize messages kept per room for catch-up
   * @param maxRooms rooms tracked at once: every return has its own room, so without a
   *   bound the hub would grow with every RMA ever seen. The least recently published
   *   room is forgotten first; if it comes back its seq continues above every earlier
   *   one, so a client asking with an old `since` gets `complete: false`, never a gap.
   */
  constructor(private readonly backlogSize = 1000, private readonly maxRooms = 10_000) {
    this.emitter.setMaxListeners(0)
  }

  publish<T>(room: string, item: T): LiveMessage<T> {
    this.published++
    const previous = this.seqs.get(room)
    const seq = previous === undefined ? this.published : previous + 1
    this.seqs.set(room, seq)
    const message = { room, seq, item }
    let backlog = this.backlogs.get(room)
    if (backlog) this.backlogs.delete(room) // re-inserted below: Map order is recency order
    else backlog = []
    this.backlogs.set(room, backlog)
    backlog.push(message)
    while (this.backlogs.size > this.maxRooms) {
      const oldest = this.backlogs.keys().next().value as string
      this.backlogs.delete(oldest)
      this.seqs.delete(oldest)
    }
    if (backlog.length > this.backlogSize) backlog.splice(0, backlog.length - this.backlogSize)
    this.emitter.emit('message', message)
    return message
  }

  /** Messages of `room` after `since` still in the backlog; `complete` false if some were dropped. */
  since(room: string, since: number): { items: LiveMessage[]; complete: boolean; seq: number } {
    const backlog = this.backlogs.get(room) ?? []
    const items = backlog.filter((m) => m.seq > since)
    const oldest = backlog[0]?.seq ?? (this.seqs.get(room) ?? 0) + 1
    return { items, complete: since >= oldest - 1, seq: this.seqs.get(room) ?? 0 }
  }

  seq(room: string): number { return this.seqs.get(room) ?? 0 }

  onMessage(listener: (m: LiveMessage) => void): () => void {
    this.emitter.on('message', listener)
    return () => this.emitter.off('message', listener)
  }
}
