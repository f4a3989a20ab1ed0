// The navigator's live state as text and back, for checkpoints (the store and the schedule
// are server/store/checkpoint-repo.ts and server/navigator-service/checkpoints.ts). Pure: no I/O.
// Generic over the state's tables (NavigatorState.tables()), so a table added to the state
// is carried without a change here as long as its values are JSON data; a checkpoint
// written by a layout with other tables fails to load and the server falls back to a full
// replay. Bump SNAPSHOT_FORMAT when a table keeps its name but changes what its entries mean.
//
// The text is cut into chunks of bounded length: as one string, a state of a few hundred
// thousand open returns passed V8's maximum string length and could not be written at all.
// A chunk is a JSON object of table name → a run of that table's entries; a table's
// entries may run over several chunks, in order, and a chunk may hold several small tables.
import { createHash } from 'node:crypto'
import type { Network } from './network.js'
import { NavigatorState, type OpenReturn } from './state.js'

// 2: an open line holds its decision without explanation and tasks (state.ts HeldDecision).
// 3: priority classes are eighth-decades (dockMix), repairs have a bench mix (benchMix).
// 4: chunked text; an open return's Maps as entry arrays (VALUE_CODECS), no tagged objects.
export const SNAPSHOT_FORMAT = 4

/** Bound on a chunk's text, in UTF-16 code units (an entry longer than this is a chunk of its own). */
export const DEFAULT_CHUNK_CHARS = 4 * 1024 * 1024

export class SnapshotError extends Error {}

interface ValueCodec { encode(value: unknown): unknown; decode(value: unknown): unknown }

/**
 * Tables whose values are not plain JSON data, with their conversion. Naming them here
 * instead of a JSON replacer called on every value of the state keeps the cut fast; a
 * test walks a state's tables for a Map or Set this list does not cover.
 */
const VALUE_CODECS: Record<string, ValueCodec> = {
  openReturns: {
    encode: (value) => {
      const open = value as OpenReturn
      return { ...open, lines: [...open.lines], statusByLine: [...open.statusByLine] }
    },
    decode: (value) => {
      const open = value as Omit<OpenReturn, 'lines' | 'statusByLine'> & { lines: [number, unknown][]; statusByLine: [number, string][] }
      return { ...open, lines: new Map(open.lines), statusByLine: new Map(open.statusByLine) }
    },
  },
}

/**
 * Which network a state was taken with: stock and bench keys hold node positions, so a
 * state only fits the same nodes in the same order.
 */
export function networkFingerprint(network: Network): string {
  return createHash('sha256').update(network.nodes.map((n) => n.id).join('\n')).digest('hex').slice(0, 32)
}

/**
 * The state as chunks of text, each at most `maxChunkChars` long unless one entry alone
 * is longer. Synchronous on purpose: it is one consistent cut of the state.
 */
export function toSnapshotChunks(state: NavigatorState, maxChunkChars = DEFAULT_CHUNK_CHARS): string[] {
  const chunks: string[] = []
  let parts: string[] = []
  let length = 0
  let entriesInChunk = 0
  /** The table whose run of entries the chunk being built ends with (null: no chunk under way). */
  let open: string | null = null
  const close = () => {
    if (open === null) return
    parts.push(']}')
    chunks.push(parts.join(''))
    parts = []
    length = 0
    entriesInChunk = 0
    open = null
  }
  for (const [name, entries] of Object.entries(state.tables())) {
    const codec = VALUE_CODECS[name]
    const head = `${JSON.stringify(name)}:[`
    let firstInRun = true
    const startRun = () => {
      if (open !== null && length + head.length + 4 > maxChunkChars) close()
      parts.push(open === null ? `{${head}` : `],${head}`)
      length += head.length + 2
      open = name
      firstInRun = true
    }
    // Every table gets a run, empty or not, so the loader sees the whole layout.
    startRun()
    for (const [key, value] of entries) {
      const text = JSON.stringify([key, codec ? codec.encode(value) : value])
      if (entriesInChunk > 0 && length + text.length + 3 > maxChunkChars) {
        close()
        startRun()
      }
      if (!firstInRun) parts.push(',')
      parts.push(text)
      length += text.length + 1
      entriesInChunk++
      firstInRun = false
    }
  }
  close()
  return chunks
}

/** Rebuilds a state from toSnapshotChunks()'s chunks, given in order; throws SnapshotError when they do not fit. */
export class SnapshotReader {
  private readonly tables: Record<string, [unknown, unknown][]> = {}
  private chunks = 0

  constructor(private readonly network: Network) {}

  add(text: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new SnapshotError(`chunk ${this.chunks}: not valid JSON: ${(error as Error).message}`)
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SnapshotError(`chunk ${this.chunks}: not an object of tables`)
    for (const [name, entries] of Object.entries(parsed as Record<string, unknown>)) {
      if (!Array.isArray(entries)) throw new SnapshotError(`chunk ${this.chunks}: table ${name} is not a list of entries`)
      const codec = VALUE_CODECS[name]
      const into = (this.tables[name] ??= [])
      for (const entry of entries as [unknown, unknown][]) {
        if (!Array.isArray(entry) || entry.length !== 2) throw new SnapshotError(`chunk ${this.chunks}: an entry of ${name} is not a [key, value] pair`)
        into.push(codec ? [entry[0], codec.decode(entry[1])] : entry)
      }
    }
    this.chunks++
  }

  /** The state the chunks added hold. */
  finish(): NavigatorState {
    if (this.chunks === 0) throw new SnapshotError('no chunks')
    const state = new NavigatorState(this.network)
    try {
      state.loadTables(this.tables)
    } catch (error) {
      throw new SnapshotError((error as Error).message)
    }
    return state
  }
}

/** A state equal to the one toSnapshotChunks() was given. */
export function fromSnapshotChunks(network: Network, chunks: Iterable<string>): NavigatorState {
  const reader = new SnapshotReader(network)
  for (const text of chunks) reader.add(text)
  return reader.finish()
}
