// The batched writer: per-table queues flushed on size or interval, one flush at a time,
// transient errors retried, bounded memory. write() resolves only once the rows are in
// ClickHouse, which is what lets the HTTP layer acknowledge after durability.
// One write() is one chunk; a flush merges many callers' chunks into one insert, so a
// chunk the store refuses for what it holds (not because the store is down) is found by
// bisection and only its caller fails: one bad row never costs its neighbours.
import { JsonLines } from './json-lines.js'
import type { RowSink } from './row-sink.js'

export class OverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the store cannot keep up; retry later')
  }
}
export class WriterClosedError extends Error {
  constructor() { super('writer is shut down') }
}

/**
 * Room under the memory bound held for writes that belong together: a request's
 * decisions and its raw events are written one after the other (the second only once
 * the first is durable), and the second must not be refused for room the first left
 * to other requests meanwhile, or the first would stand without the second.
 */
export interface WriteReservation {
  /** Rows still held; writes made with this reservation use them first. */
  readonly rows: number
  /** Gives back whatever was not used (idempotent). */
  release(): void
}

export interface WriterOptions {
  batchSize: number
  flushMs: number
  maxQueuedRows: number
  maxRetries?: number
  retryBaseMs?: number
  /** Hook for metrics: called after each table insert. */
  onFlush?: (table: string, rows: number, ms: number, ok: boolean) => void
}

interface Chunk { rows: JsonLines; resolve: () => void; reject: (e: unknown) => void }
interface TableQueue {
  chunks: Chunk[]
  rows: number
  timer: NodeJS.Timeout | null
  flushing: Promise<void> | null
}

// ClickHouse error codes worth retrying: timeouts, network, too many parts/queries,
// memory pressure. Anything else (a schema mismatch) will fail the same way again.
const TRANSIENT_CODES = new Set(['159', '160', '164', '202', '209', '210', '241', '242', '252', '285', '319', '425', '999'])
const TRANSIENT_NODE_ERRORS = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|Timeout/i

export function isTransientError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: string }
  if (e && e.code !== undefined && TRANSIENT_CODES.has(String(e.code))) return true
  return TRANSIENT_NODE_ERRORS.test(e?.message ?? '')
}

class HeldRoom implements WriteReservation {
  constructor(private held: number, private readonly giveBack: (rows: number) => void) {}
  get rows(): number { return this.held }
  /** Moves `n` rows from the reservation to the queue (the caller counts them there). */
  take(n: number): void { this.held -= n; this.giveBack(n) }
  release(): void { this.giveBack(this.held); this.held = 0 }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Inserts at least this large are joined into the table's kept buffer. */
const REUSED_BODY_MIN_BYTES = 1 << 20

export class BatchedWriter {
  private readonly queues = new Map<string, TableQueue>()
  private queuedRows = 0
  /** Rows reserved for writes not made yet: they count against the bound. */
  private reservedRows = 0
  private closed = false
  private lastOkAt = 0

  constructor(private readonly sink: Pick<RowSink, 'insertJsonLines'>, private readonly opts: WriterOptions) {}

  get depth(): number { return this.queuedRows }

  /** When an insert last succeeded (epoch ms; 0: never): the store was answering then. */
  get lastInsertOkAt(): number { return this.lastOkAt }

  /** Rows of `table` waiting for an insert (not those of an insert under way). */
  queuedIn(table: string): number { return this.queues.get(table)?.rows ?? 0 }

  /** True when `rows` more rows fit under the memory bound. */
  canAccept(rows: number): boolean { return this.queuedRows + this.reservedRows + rows <= this.opts.maxQueuedRows }

  /** Holds room for `rows` rows, or throws OverloadedError when they do not fit. */
  reserve(rows: number): WriteReservation {
    if (!this.canAccept(rows)) throw this.overloaded()
    this.reservedRows += rows
    return new HeldRoom(rows, (n) => { this.reservedRows -= n })
  }

  private overloaded(): OverloadedError {
    return new OverloadedError(Math.max(1, Math.ceil(this.opts.flushMs / 1000)))
  }

  /**
   * Queues rows for `table`; the promise settles when they are durably inserted (or
   * failed for good). Throws OverloadedError synchronously when the bound is reached,
   * so nothing is queued that the caller will not be told about. A large write comes
   * encoded (JsonLines, built between the caller's yields); a few rows may come as objects.
   * Rows covered by `reservation` are never refused for room.
   */
  write(table: string, input: JsonLines | readonly object[], reservation?: WriteReservation): Promise<void> {
    if (this.closed) return Promise.reject(new WriterClosedError())
    const count = input instanceof JsonLines ? input.count : input.length
    if (count === 0) return Promise.resolve()
    const held = reservation instanceof HeldRoom ? reservation : null
    const covered = held ? Math.min(count, held.rows) : 0
    if (!this.canAccept(count - covered)) throw this.overloaded()
    held?.take(covered)
    const rows = input instanceof JsonLines ? input : JsonLines.of(input)
    let queue = this.queues.get(table)
    if (!queue) this.queues.set(table, (queue = { chunks: [], rows: 0, timer: null, flushing: null }))
    const done = new Promise<void>((resolve, reject) => queue!.chunks.push({ rows, resolve, reject }))
    queue.rows += rows.count
    this.queuedRows += rows.count
    if (queue.rows >= this.opts.batchSize) this.startFlush(table, queue)
    else if (!queue.timer && !queue.flushing) queue.timer = setTimeout(() => this.startFlush(table, queue!), this.opts.flushMs)
    return done
  }

  /** Flushes everything queued and refuses new writes. */
  async close(): Promise<void> {
    this.closed = true
    await this.drain()
  }

  async drain(): Promise<void> {
    for (;;) {
      const busy = [...this.queues].filter(([, q]) => q.rows > 0 || q.flushing)
      if (busy.length === 0) return
      for (const [table, queue] of busy) this.startFlush(table, queue)
      await Promise.all(busy.map(([, q]) => q.flushing))
    }
  }

  private startFlush(table: string, queue: TableQueue): void {
    if (queue.timer) { clearTimeout(queue.timer); queue.timer = null }
    if (queue.flushing) return // the running loop picks up whatever is queued now
    queue.flushing = this.flushLoop(table, queue).finally(() => {
      queue.flushing = null
      // A caller resumed by the last resolve() may have written before this ran, seen a
      // flush still "in progress" and set no timer: pick its rows up now.
      if (queue.rows > 0) this.startFlush(table, queue)
    })
  }

  // Invariant: at most one insert per table at a time (inserts of one table never
  // overlap, so its parts land in order); different tables flush concurrently, which
  // lets the embedded store use both cores. A caller that needs one table durable
  // before another awaits the first write before starting the second.
  private async flushLoop(table: string, queue: TableQueue): Promise<void> {
    while (queue.chunks.length > 0) {
      const taken: Chunk[] = []
      let count = 0
      // Chunks of one insert share their format (the same columns, or none: JSONEachRow).
      const columns = queue.chunks[0].rows.columns
      while (queue.chunks.length > 0 && (count === 0 || (count + queue.chunks[0].rows.count <= this.opts.batchSize && queue.chunks[0].rows.columns === columns))) {
        const chunk = queue.chunks.shift()!
        taken.push(chunk)
        count += chunk.rows.count
      }
      queue.rows -= count
      try {
        await this.insertWithRetry(table, taken)
        for (const c of taken) this.stored(c)
      } catch (error) {
        if (taken.length > 1 && !isTransientError(error)) await this.isolate(table, taken, error)
        else for (const c of taken) this.refused(c, error)
      }
    }
  }

  // Every taken chunk is settled by exactly one of these two; its rows leave the memory
  // bound then.
  private stored(chunk: Chunk): void {
    this.queuedRows -= chunk.rows.count
    chunk.resolve()
  }

  private refused(chunk: Chunk, error: unknown): void {
    this.queuedRows -= chunk.rows.count
    chunk.reject(error)
  }

  /**
   * `chunks` failed together for a reason of their content: insert them in halves,
   * recursing into a half that fails the same way, until each refused chunk stands
   * alone; its caller gets the store's error, every other chunk is stored.
   * Still one insert at a time per table (it runs inside the table's flush loop), and
   * the stored chunks keep their order. A failed insert stored nothing: a refused
   * JSONEachRow insert is parsed whole before any part is written (an insert is
   * atomic below max_insert_block_size rows, far above any batch size), so no row is
   * stored twice by a retry of its half.
   * Costs at most 2·log2(n) inserts per refused chunk among n, and those fail fast (at
   * parsing). `error` is what the whole of `chunks` failed with.
   */
  private async isolate(table: string, chunks: Chunk[], error: unknown): Promise<void> {
    const mid = Math.ceil(chunks.length / 2)
    const left = chunks.slice(0, mid), right = chunks.slice(mid)
    const leftStored = await this.tryHalf(table, left)
    // The whole failed and its left half did not: the fault is in the right half, so
    // that half is split at once instead of being inserted only to fail again.
    if (leftStored) await this.refusedHalf(table, right, error)
    else await this.tryHalf(table, right)
  }

  /** Inserts `half`; on a refusal of its content, isolates within it. True if all stored. */
  private async tryHalf(table: string, half: Chunk[]): Promise<boolean> {
    try {
      await this.insertWithRetry(table, half)
      for (const c of half) this.stored(c)
      return true
    } catch (error) {
      // The store went down meanwhile (retries exhausted): those callers are refused as
      // any caller is when the store is down; their retry is the producer's.
      if (isTransientError(error)) for (const c of half) this.refused(c, error)
      else await this.refusedHalf(table, half, error)
      return false
    }
  }

  private async refusedHalf(table: string, half: Chunk[], error: unknown): Promise<void> {
    if (half.length === 1) this.refused(half[0], error)
    else await this.isolate(table, half, error)
  }

  /**
   * A buffer per table that large inserts are joined into, kept between inserts (a table
   * has one insert at a time, and the store is done with the bytes once it answers).
   * A fresh buffer of tens of MB costs its first touch of every page: about 100 ms on
   * the event loop for a 26 MB insert, against 2 ms copying into a buffer used before.
   */
  private readonly bodyBuffers = new Map<string, Buffer>()

  private bodyOf(table: string, chunks: Chunk[]): Buffer {
    const lines = chunks.map((c) => c.rows)
    let bytes = 0
    for (const l of lines) bytes += l.byteLength
    if (bytes < REUSED_BODY_MIN_BYTES) return JsonLines.join(lines)
    let buffer = this.bodyBuffers.get(table)
    if (!buffer || buffer.length < bytes) {
      buffer = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(bytes)))
      this.bodyBuffers.set(table, buffer)
    }
    return JsonLines.join(lines, buffer)
  }

  private async insertWithRetry(table: string, chunks: Chunk[]): Promise<void> {
    const maxRetries = this.opts.maxRetries ?? 5
    const body = this.bodyOf(table, chunks)
    let rows = 0
    for (const c of chunks) rows += c.rows.count
    for (let attempt = 0; ; attempt++) {
      const started = performance.now()
      try {
        await this.sink.insertJsonLines(table, body, chunks[0].rows.columns)
        this.lastOkAt = Date.now()
        this.opts.onFlush?.(table, rows, performance.now() - started, true)
        return
      } catch (error) {
        this.opts.onFlush?.(table, rows, performance.now() - started, false)
        if (attempt >= maxRetries || !isTransientError(error)) throw error
        await sleep((this.opts.retryBaseMs ?? 100) * 2 ** attempt)
      }
    }
  }
}
