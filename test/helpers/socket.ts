import { io, type Socket } from 'socket.io-client'

export function connect(url: string, key?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: key ? { key } : {}, transports: ['websocket'], reconnection: false, forceNew: true })
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (e) => { socket.close(); reject(e) })
  })
}

export function subscribe(socket: Socket, rooms: string[], opts?: object): Promise<{ joined: { room: string; seq: number }[]; refused: { room: string; reason: string }[] }> {
  return new Promise((resolve) => (opts ? socket.emit('subscribe', rooms, opts, resolve) : socket.emit('subscribe', rooms, resolve)))
}

/** Collects payloads of one event name until `done` says enough, or times out. */
export function collect<T = any>(socket: Socket, event: string, done: (all: T[]) => boolean, timeoutMs = 10_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const all: T[] = []
    const timer = setTimeout(() => { socket.off(event, on); reject(new Error(`timed out waiting for ${event}; got ${all.length}`)) }, timeoutMs)
    const on = (p: T) => {
      all.push(p)
      if (done(all)) { clearTimeout(timer); socket.off(event, on); resolve(all) }
    }
    socket.on(event, on)
  })
}
