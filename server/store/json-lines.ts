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

  get count(): number { return this.rows }

  push(row: object): void {
    const line = JSON.stringify(row)
    this.pending.push(line)
    this.pendingChars += line.length + 1
    this.rows++
    if (this.pendingChars >= BLOCK_CHARS) this.seal()
  }

  /** The bytes of every chunk's rows, chunk after chunk. */
  static join(chunks: readonly JsonLines[]): Buffer {
    for (const c of chunks) c.seal()
    const blocks = chunks.flatMap((c) => c.blocks)
    return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks)
  }

  static of(rows: readonly object[]): JsonLines {
    const lines = new JsonLines()
    for (const row of rows) lines.push(row)
    return lines
  }

  private seal(): void {
    if (this.pending.length === 0) return
    this.blocks.push(Buffer.from(`${this.pending.join('\n')}\n`))
    this.pending = []
    this.pendingChars = 0
  }
}
