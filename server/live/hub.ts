// In-process publish side of the live layer. Each room keeps a sequence number and a
// bounded backlog so a reconnecting client can catch up; the Socket.IO adapter
// (socket.ts) subscribes to it and coalesces bursts per client.
import { EventEmitter } from 'node:events'

export interface LiveMessage<T = unknown> { room: string; seq: number; item: T }

export class LiveHub {
  private readonly seqs = new Map<string, number>()
  private readonly backlogs = new Map<string, LiveMessage[]>()
  private readonly emitter = new EventEmitter()

  constructor(private readonly backlogSize = 1000) {
    this.emitter.setMaxListeners(0)
  }

  publish<T>(room: string, item: T): LiveMessage<T> {
    const seq = (this.seqs.get(room) ?? 0) + 1
    this.seqs.set(room, seq)
    const message = { room, seq, item }
    let backlog = this.backlogs.get(room)
    if (!backlog) this.backlogs.set(room, (backlog = []))
    backlog.push(message)
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
