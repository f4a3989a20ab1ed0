// Rows encoded as JSONEachRow bytes, a row at a time. The batched writer's callers encode
// while they build rows, between their yields to the event loop, so a flush only joins
// a few buffers: encoding a merged 10,000-row insert in one go held the event loop for
// hundreds of milliseconds, and so did handing the store the insert as one JS string.
// Each line is written into a block buffer as soon as it is stringified: keeping the
// lines as strings until a block was full, then joining and encoding them, cost about
// three times as much per decision row (the strings lived long enough to be copied by
// the garbage collector, and the join flattened them once more; docs/benchmarks.md).
// A Buffer per row instead made the final join a copy per row.
// With `columns`, each row is an array of those columns' values (JSONCompactEachRow):
// no key is written per row, nor matched by the store, and a wide row's keys were a
// fifth of its bytes (docs/benchmarks.md).

/** The first block's size; each next one doubles, up to MAX_BLOCK_BYTES. */
const FIRST_BLOCK_BYTES = 16 * 1024
const MAX_BLOCK_BYTES = 1024 * 1024
const NEWLINE = 0x0a

export class JsonLines {
  private readonly blocks: Buffer[] = []
  /** The block being written: bytes [start, end) are written and not sealed yet. */
  private current: Buffer | null = null
  private start = 0
  private end = 0
  private rows = 0
  private sealedBytes = 0

  /** @param columns the columns of array rows (JSONCompactEachRow); absent: object rows (JSONEachRow). */
  constructor(readonly columns?: readonly string[]) {}

  get count(): number { return this.rows }

  push(row: object): void {
    const line = JSON.stringify(row)
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so this room always holds the line.
    const room = line.length * 3 + 1
    if (!this.current || this.current.length - this.end < room) this.nextBlock(room, line)
    const block = this.current!
    this.end += block.write(line, this.end)
    block[this.end++] = NEWLINE
    this.rows++
  }

  /**
   * The bytes of every chunk's rows, chunk after chunk: in `into` (a view of its start)
   * when they fit there, else in a new buffer.
   */
  static join(chunks: readonly JsonLines[], into?: Buffer): Buffer {
    for (const c of chunks) c.seal()
    const blocks = chunks.flatMap((c) => c.blocks)
    if (blocks.length === 1) return blocks[0]
    let total = 0
    for (const c of chunks) total += c.sealedBytes
    if (!into || into.length < total) return Buffer.concat(blocks, total)
    let offset = 0
    for (const b of blocks) offset += b.copy(into, offset)
    return into.subarray(0, total)
  }

  /** Bytes of the rows (sealing what is pending). */
  get byteLength(): number {
    this.seal()
    return this.sealedBytes
  }

  static of(rows: readonly object[], columns?: readonly string[]): JsonLines {
    const lines = new JsonLines(columns)
    for (const row of rows) lines.push(row)
    return lines
  }

  private nextBlock(room: number, line: string): void {
    this.seal()
    const grown = this.current ? Math.min(this.current.length * 2, MAX_BLOCK_BYTES) : FIRST_BLOCK_BYTES
    // A line longer than a block (a large catalog upsert) gets a block of its exact size.
    const size = room <= grown ? grown : Math.max(grown, Buffer.byteLength(line) + 1)
    this.current = Buffer.allocUnsafeSlow(size)
    this.start = this.end = 0
  }

  private seal(): void {
    if (this.end === this.start) return
    this.blocks.push(this.current!.subarray(this.start, this.end))
    this.sealedBytes += this.end - this.start
    this.start = this.end
  }
}
