// The navigator's live state as text and back, for checkpoints (the store and the schedule
// are server/store/checkpoint-repo.ts and server/navigator-service/checkpoints.ts). Pure: no I/O.
// Generic over the state's tables (NavigatorState.tables()), so a table added to the state
// is carried without a change here; a checkpoint written by a layout with other tables
// fails to load and the server falls back to a full replay. Bump SNAPSHOT_FORMAT when a
// table keeps its name but changes what its entries mean.
import { createHash } from 'node:crypto'
import type { Network } from './network.js'
import { NavigatorState } from './state.js'

// 2: an open line holds its decision without explanation and tasks (state.ts HeldDecision).
// 3: priority classes are eighth-decades (dockMix), repairs have a bench mix (benchMix).
export const SNAPSHOT_FORMAT = 3

// Maps and Sets inside values (an open return's lines) have no JSON form of their own.
const MAP = '\u0000map'
const SET = '\u0000set'

export class SnapshotError extends Error {}

/**
 * Which network a state was taken with: stock and bench keys hold node positions, so a
 * state only fits the same nodes in the same order.
 */
export function networkFingerprint(network: Network): string {
  return createHash('sha256').update(network.nodes.map((n) => n.id).join('\n')).digest('hex').slice(0, 32)
}

/** The state as text. Synchronous on purpose: it is one consistent cut of the state. */
export function toSnapshot(state: NavigatorState): string {
  return JSON.stringify({ tables: state.tables() }, (_key, value: unknown) => {
    if (value instanceof Map) return { [MAP]: [...value] }
    if (value instanceof Set) return { [SET]: [...value] }
    return value
  })
}

/** A state equal to the one toSnapshot() was given; throws SnapshotError when the text does not fit. */
export function fromSnapshot(network: Network, text: string): NavigatorState {
  let parsed: { tables?: unknown }
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        if (MAP in value) return new Map((value as Record<string, [unknown, unknown][]>)[MAP])
        if (SET in value) return new Set((value as Record<string, unknown[]>)[SET])
      }
      return value
    })
  } catch (error) {
    throw new SnapshotError(`not valid JSON: ${(error as Error).message}`)
  }
  if (!parsed || typeof parsed.tables !== 'object' || parsed.tables === null) throw new SnapshotError('no tables')
  const state = new NavigatorState(network)
  try {
    state.loadTables(parsed.tables as Record<string, [unknown, unknown][]>)
  } catch (error) {
    throw new SnapshotError((error as Error).message)
  }
  return state
}
