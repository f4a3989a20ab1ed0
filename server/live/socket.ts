// Socket.IO on the HTTP server's port. Authenticates on connect, checks each room
// before joining, and coalesces bursts: per room at most one message per tick (5 per second) whatever
// the event rate, carrying the newest `maxItemsPerMessage` items and the room's seq so a
// client that reconnects can ask for what it missed.
import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import type { Role } from '../contracts/enums.js'
import type { KeyRing } from '../auth/keys.js'
import type { LiveHub, LiveMessage } from './hub.js'
import { checkRoom, eventNameOf } from './rooms.js'

export interface LiveOptions {
  /** Coalescing interval: ≤ 1000/tickMs messages per room per second per client. */
  tickMs?: number
  maxItemsPerMessage?: number
  /** Rooms one socket may be in at once; a subscribe beyond it is refused per room. */
  maxRoomsPerSocket?: number
}

export interface LivePayload { seq: number; items: unknown[]; dropped?: number; complete?: boolean }

export function attachLive(server: HttpServer, hub: LiveHub, keyring: KeyRing, options: LiveOptions = {}) {
  const tickMs = options.tickMs ?? 200
  const maxItems = options.maxItemsPerMessage ?? 50
  const maxRooms = options.maxRoomsPerSocket ?? 200
  const io = new Server(server, { serveClient: false, cors: { origin: false } })

  io.use((socket, next) => {
    const role = keyring.roleOf(typeof socket.handshake.auth?.key === 'string' ? socket.handshake.auth.key : undefined)
    if (!role) return next(new Error('unauthorized'))
    socket.data.role = role
    next()
  })

  io.on('connection', (socket: Socket) => {
    socket.on('subscribe', (rooms: unknown, second?: unknown, third?: unknown) => {
      const ack = typeof second === 'function' ? second : typeof third === 'function' ? third : undefined
      const opts = (typeof second === 'object' && second !== null ? second : {}) as { since?: number | Record<string, number> }
      const list = Array.isArray(rooms) ? rooms.slice(0, 50) : [rooms]
      const joined: { room: string; seq: number }[] = []
      const refused: { room: unknown; reason: string }[] = []
      for (const r of list) {
        const check = checkRoom(r, socket.data.role as Role)
        if (!check.ok) { refused.push({ room: r, reason: check.reason }); continue }
        // Each room costs the server memory and a lookup per message; socket.rooms also
        // holds the socket's own id, hence the - 1.
        if (!socket.rooms.has(check.room) && socket.rooms.size - 1 >= maxRooms) {
          refused.push({ room: check.room, reason: `room limit reached: a connection may be in at most ${maxRooms} rooms; unsubscribe from some first` })
          continue
        }
        void socket.join(check.room)
        joined.push({ room: check.room, seq: hub.seq(check.room) })
        const since = typeof opts.since === 'number' ? opts.since : opts.since?.[check.room]
        if (typeof since === 'number' && Number.isFinite(since)) {
          const missed = hub.since(check.room, since)
          if (missed.items.length) {
            socket.emit(eventNameOf(check.room), {
              seq: missed.seq, items: missed.items.map((m) => m.item), complete: missed.complete, room: check.room,
            })
          }
        }
      }
      ack?.({ joined, refused })
    })
    socket.on('unsubscribe', (rooms: unknown) => {
      for (const r of Array.isArray(rooms) ? rooms : [rooms]) if (typeof r === 'string') void socket.leave(r)
    })
  })

  // Coalescing per room, leading and trailing edge: the first message after a quiet
  // period goes out at once (no added latency at low rates); what arrives within
  // tickMs of an emit waits for one trailing emit. So a room emits at most
  // 1000/tickMs times a second, whatever the event rate.
  const pending = new Map<string, LiveMessage[]>()
  const firstSeq = new Map<string, number>()
  const lastEmitAt = new Map<string, number>()
  const trailing = new Map<string, NodeJS.Timeout>()

  const emitRoom = (room: string) => {
    trailing.delete(room)
    const list = pending.get(room)
    if (!list || list.length === 0) return
    const items = list.slice(-maxItems)
    const seq = list[list.length - 1].seq
    // Seqs of a room are consecutive, so what was coalesced away is a difference.
    const dropped = seq - firstSeq.get(room)! + 1 - items.length
    const payload: LivePayload & { room: string } = {
      seq, items: items.map((m) => m.item), room, ...(dropped > 0 ? { dropped } : {}),
    }
    pending.delete(room)
    lastEmitAt.set(room, performance.now())
    io.to(room).emit(eventNameOf(room), payload)
  }

  const unsubscribe = hub.onMessage((m) => {
    if ((io.sockets.adapter.rooms.get(m.room)?.size ?? 0) === 0) return
    let list = pending.get(m.room)
    if (!list) {
      pending.set(m.room, (list = []))
      firstSeq.set(m.room, m.seq)
    }
    list.push(m)
    if (list.length > maxItems * 4) list.splice(0, list.length - maxItems)
    if (trailing.has(m.room)) return
    const wait = (lastEmitAt.get(m.room) ?? -Infinity) + tickMs - performance.now()
    // Leading edge: emit after the current synchronous burst (a batch publishes many
    // decisions in one go), so they travel together.
    const timer = setTimeout(() => emitRoom(m.room), Math.max(0, wait))
    timer.unref()
    trailing.set(m.room, timer)
  })
  // Forget rooms nobody has listened to for a while (one per RMA would otherwise pile up).
  const sweeper = setInterval(() => {
    const cutoff = performance.now() - 60_000
    for (const [room, at] of lastEmitAt) if (at < cutoff && !trailing.has(room)) { lastEmitAt.delete(room); firstSeq.delete(room) }
  }, 60_000)
  sweeper.unref()

  return {
    io,
    async close() {
      clearInterval(sweeper)
      for (const t of trailing.values()) clearTimeout(t)
      unsubscribe()
      io.disconnectSockets(true)
      // io.close() would also close the HTTP server, which Fastify owns.
      io.removeAllListeners()
    },
  }
}
