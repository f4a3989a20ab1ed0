// Rows encoded as JSONEachRow bytes, a row at a time. The batched writer's callers encode
// while they build rows, between their yields to the event loop, so a flush only joins
// a few buffers: encoding a merged 10,000-row insert in one go held the event loop for
// hundreds of milliseconds, and so did handing the store the insert as one JS string.
// Lines are turned into bytes a block at a time: a Buffer per row made the final join
// a copy per row.
const BLOCK_CHARS = 256 * 1024

export class JsonLines {
  private readonly blocks: Buffer[] = []
  private pending: string[] = []
  private pendingChars = 0
  private rows = 0
  private sealedBytes = 0

  get count(): number { return this.rows }

  push(row: object): void {
    const line = JSON.stringify(row)
    this.pending.push(line)
    this.pendingChars += line.length + 1
    this.rows++
    if (this.pendingChars >= BLOCK_CHARS) this.seal()
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

  static of(rows: readonly object[]): JsonLines {
    const lines = new JsonLines()
    for (const row of rows) lines.push(row)
    return lines
  }

  private seal(): void {
    if (this.pending.length === 0) return
    const block = Buffer.from(`${this.pending.join('\n')}\n`)
    this.blocks.push(block)
    this.sealedBytes += block.length
    this.pending = []
    this.pendingChars = 0
  }
}
