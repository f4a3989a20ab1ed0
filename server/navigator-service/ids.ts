// Ids for decisions. A decision's id is derived from the event that caused it, so a
// producer's retry after a failed request produces the same ids (and rewrites the same
// rows) instead of a second decision. Tracking tokens are 128 random bits: unguessable.
import { hash, randomFillSync } from 'node:crypto'
import { flatString } from '../navigator/flat-string.js'

const TOKEN_BYTES = 16
/** Random bytes drawn 256 tokens at a time: one syscall-backed fill instead of one per decision. */
const pool = Buffer.alloc(TOKEN_BYTES * 256)
let poolOffset = pool.length

export class EventScopedIds {
  private scope = ''
  private counter = 0

  /** Every id until the next call derives from this event id. */
  beginEvent(eventId: string): void {
    this.scope = eventId
    this.counter = 0
  }

  readonly newId = (): string => {
    // One-shot: the same digest as a Hash object's, without building one per decision.
    const h = hash('sha256', `${this.scope}\u0000${this.counter++}`, 'hex')
    // UUID-shaped (version nibble 5-like) for readability in logs and URLs.
    // Flat: the id outlives the decision in the state's maps (flat-string.ts says why).
    return flatString(`${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`)
  }

  readonly newToken = (): string => {
    if (poolOffset + TOKEN_BYTES > pool.length) {
      randomFillSync(pool)
      poolOffset = 0
    }
    const token = pool.toString('base64url', poolOffset, poolOffset + TOKEN_BYTES)
    poolOffset += TOKEN_BYTES
    return token
  }
}
