// One Socket.IO connection for the whole app. Views register handlers per room; the
// connection subscribes to every room that has a handler and, on each (re)connect,
// re-subscribes with the last sequence number seen in that room so the server can
// replay what was missed while we were away.
import { io, type Socket } from 'socket.io-client'
import { onBeforeUnmount, ref, watch } from 'vue'
import { apiKey } from '../auth'

export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'error'
export interface RoomMessage<T = unknown> { seq: number; items: T[] }
type Handler = (items: unknown[], msg: RoomMessage) => void

export const liveStatus = ref<LiveStatus>('idle')
export const liveError = ref<string | null>(null)

const BACKLOG_ROOMS = new Set(['decisions', 'alerts'])
let socket: Socket | null = null
const handlers = new Map<string, Set<Handler>>()
const lastSeq = new Map<string, number>()
const subscribedEvents = new Set<string>()

/** `rma:<id>` rooms all arrive as the `rma` event. */
export function eventNameOf(room: string): string {
  const i = room.indexOf(':')
  return i === -1 ? room : room.slice(0, i)
}

/** Which room an `rma` message belongs to: the payload names it, or it is the only rma room we follow. */
function roomsForEvent(event: string, msg: RoomMessage & { room?: string; rmaId?: string }): string[] {
  if (msg.room && handlers.has(msg.room)) return [msg.room]
  if (msg.rmaId && handlers.has(`rma:${msg.rmaId}`)) return [`rma:${msg.rmaId}`]
  return [...handlers.keys()].filter((r) => eventNameOf(r) === event)
}

function dispatch(event: string, raw: unknown): void {
  if (!raw || typeof raw !== 'object') return
  const msg = raw as RoomMessage & { room?: string }
  const items = Array.isArray(msg.items) ? msg.items : []
  for (const room of roomsForEvent(event, msg)) {
    const seen = lastSeq.get(room)
    // Catch-up after reconnect may overlap what we already have; sequence numbers dedupe.
    if (typeof msg.seq === 'number') {
      if (seen !== undefined && msg.seq <= seen) continue
      lastSeq.set(room, msg.seq)
    }
    for (const h of handlers.get(room) ?? []) h(items, msg)
  }
}

function subscribe(room: string): void {
  if (!socket?.connected) return
  // Rooms whose history is worth showing on first open ask for the server's backlog (since 0).
  const since = lastSeq.get(room) ?? (BACKLOG_ROOMS.has(room) ? 0 : undefined)
  const ev = eventNameOf(room)
  if (!subscribedEvents.has(ev)) {
    subscribedEvents.add(ev)
    socket.on(ev, (payload: unknown) => dispatch(ev, payload))
  }
  socket.emit('subscribe', [room], since === undefined ? {} : { since }, (ack: unknown) => {
    const a = ack as { refused?: ({ room?: string; reason?: string } | string)[]; error?: string } | undefined
    if (a?.error) liveError.value = a.error
    else if (Array.isArray(a?.refused) && a.refused.length) {
      liveError.value = `refused: ${a.refused.map((r) => (typeof r === 'string' ? r : `${r.room} (${r.reason})`)).join(', ')}`
    }
  })
}

function connect(key: string): void {
  disconnect()
  liveStatus.value = 'connecting'
  socket = io({ path: '/socket.io', auth: { key }, transports: ['websocket', 'polling'] })
  socket.on('connect', () => {
    liveStatus.value = 'connected'
    liveError.value = null
    for (const room of handlers.keys()) subscribe(room)
  })
  socket.on('disconnect', () => { liveStatus.value = 'disconnected' })
  socket.on('connect_error', (err) => {
    liveStatus.value = 'error'
    liveError.value = err.message
  })
}

function disconnect(): void {
  socket?.removeAllListeners()
  socket?.disconnect()
  socket = null
  subscribedEvents.clear()
  liveStatus.value = 'idle'
}

/** Connects while a key is present; called once from App.vue. */
export function startLive(): void {
  watch(apiKey, (key) => (key ? connect(key) : disconnect()), { immediate: true })
}

/**
 * Receive the items of one room while the calling component is mounted.
 * `room` may be a getter (the return page follows `rma:<id>` of the current route).
 */
export function useLiveRoom<T = unknown>(room: string | (() => string | null), handler: (items: T[], msg: RoomMessage<T>) => void): void {
  const h = handler as Handler
  let current: string | null = null
  const join = (r: string | null) => {
    if (current) leave(current)
    current = r
    if (!r) return
    let set = handlers.get(r)
    if (!set) {
      handlers.set(r, (set = new Set()))
      set.add(h)
      subscribe(r)
    } else set.add(h)
  }
  const leave = (r: string) => {
    const set = handlers.get(r)
    set?.delete(h)
    if (set && set.size === 0) {
      handlers.delete(r)
      socket?.emit('unsubscribe', [r])
    }
  }
  if (typeof room === 'function') watch(room, join, { immediate: true })
  else join(room)
  onBeforeUnmount(() => { if (current) leave(current); current = null })
}
