// Which live rooms exist and who may join them.
import type { Role } from '../contracts/enums.js'
import { roleSatisfies } from '../auth/keys.js'

export const STATIC_ROOMS = ['decisions', 'kpis', 'alerts', 'pipelines', 'tasks'] as const
const RMA_ROOM = /^rma:[\w.:\-\/#@]{1,128}$/

/** The Socket.IO event name a room's messages arrive under. */
export function eventNameOf(room: string): string {
  return room.startsWith('rma:') ? 'rma' : room
}

export function checkRoom(room: unknown, role: Role): { ok: true; room: string } | { ok: false; reason: string } {
  if (typeof room !== 'string') return { ok: false, reason: 'a room is a string' }
  if (!(STATIC_ROOMS as readonly string[]).includes(room) && !RMA_ROOM.test(room)) return { ok: false, reason: 'no such room' }
  // Every room is read-only data for viewers and up; ingest keys see nothing.
  if (!roleSatisfies(role, 'viewer')) return { ok: false, reason: `role ${role} may not see ${room}` }
  return { ok: true, room }
}
