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
import { NavigatorState, OpenReturn } from './state.js'

// 2: an open line holds its decision without explanation and tasks (state.ts HeldDecision).
// 3: priority classes are eighth-decades (dockMix), repairs have a bench mix (benchMix).
// 4: chunked text; an open return's Maps as entry arrays (VALUE_CODECS), no tagged objects.
export const SNAPSHOT_FORMAT = 4

/** Bound on a chunk's text in bytes (an entry longer than this is a chunk of its own). */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024

export class SnapshotError extends Error {}

interface ValueCodec { encodeText(value: unknown): string; decode(value: unknown): unknown }

/**
 * Tables whose values are not plain JSON data, with their conversion. Naming them here
 * instead of a JSON replacer called on every value of the state keeps the cut fast; the
 * round trip in test/unit/snapshot-chunks.test.ts fails for a Map or Set in a
 * table this list does not cover.
 */
const VALUE_CODECS: Record<string, ValueCodec> = {
  // An open return writes its own text: what it holds packed is embedded as it is.
  openReturns: {
    encodeText: (value) => (value as OpenReturn).toJSONText(),
    decode: (value) => OpenReturn.fromJSON(value as Parameters<typeof OpenReturn.fromJSON>[0]),
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
 * Builds one chunk's UTF-8 bytes. Each entry's text is written into the buffer as soon as
 * it is made: held as strings until the chunk was full, they outlived the young
 * generation and were copied by the garbage collector, then copied again by the join.
 */
class ChunkBuffer {
  private buf: Buffer
  end = 0
  constructor(size: number) { this.buf = Buffer.allocUnsafeSlow(size) }
  write(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const room = text.length * 3
    if (this.buf.length - this.end < room) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.end + room))
      this.buf.copy(grown, 0, 0, this.end)
      this.buf = grown
    }
    this.end += this.buf.write(text, this.end)
  }
  bytes(): Buffer { return this.buf.subarray(0, this.end) }
}

/**
 * The state as chunks of JSON text (UTF-8), each at most `maxChunkBytes` long unless one
 * entry alone is longer. Synchronous on purpose: it is one consistent cut of the state.
 */
export function toSnapshotChunks(state: NavigatorState, maxChunkBytes = DEFAULT_CHUNK_BYTES): Buffer[] {
  const chunks: Buffer[] = []
  const initial = Math.min(maxChunkBytes, 64 * 1024)
  let chunk: ChunkBuffer | null = null
  let entriesInChunk = 0
  const close = () => {
    if (chunk === null) return
    chunk.write(']}')
    chunks.push(chunk.bytes())
    chunk = null
    entriesInChunk = 0
  }
  for (const [name, entries] of Object.entries(state.tables())) {
    const codec = VALUE_CODECS[name]
    const head = `${JSON.stringify(name)}:[`
    let firstInRun = true
    const startRun = () => {
      if (chunk !== null && chunk.end + head.length * 3 + 4 > maxChunkBytes) close()
      if (chunk === null) {
        chunk = new ChunkBuffer(initial)
        chunk.write(`{${head}`)
      } else {
        chunk.write(`],${head}`)
      }
      firstInRun = true
    }
    // Every table gets a run, empty or not, so the loader sees the whole layout.
    startRun()
    for (const [key, value] of entries) {
      const text = codec ? `[${JSON.stringify(key)},${codec.encodeText(value)}]` : JSON.stringify([key, value])
      if (entriesInChunk > 0 && chunk!.end + text.length * 3 + 3 > maxChunkBytes) {
        close()
        startRun()
      }
      chunk!.write(firstInRun ? text : `,${text}`)
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

  add(chunk: string | Buffer): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
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
export function fromSnapshotChunks(network: Network, chunks: Iterable<string | Buffer>): NavigatorState {
  const reader = new SnapshotReader(network)
  for (const chunk of chunks) reader.add(chunk)
  return reader.finish()
}
