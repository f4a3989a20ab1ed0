// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, separators and line
// breaks inside quotes, CRLF or LF. Pure: text chunks in, records out, each with the
// physical line it started on (what a rejected-row report must name).

export interface SourceRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number
  fields: Record<string, string>
}

export class CsvReader {
  private header: string[] | null = null
  private field = ''
  private row: string[] = []
  private inQuotes = false
  /** Inside quotes a quote was read: a second one is an escaped quote, anything else closes. */
  private quotePending = false
  private pendingCr = false
  private line = 1
  private rowStartLine = 1
  private started = false

  constructor(private readonly separator = ',') {}

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): SourceRecord[] {
    const out: SourceRecord[] = []
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      if (this.pendingCr) {
        this.pendingCr = false
        if (c === '\n') continue
      }
      if (!this.started) { this.started = true; this.rowStartLine = this.line }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false
          if (c === '"') { this.field += '"'; continue }
          this.inQuotes = false // the quote closed the field; c is read below
        } else if (c === '"') {
          this.quotePending = true
          continue
        } else {
          if (c === '\n') this.line++
          this.field += c
          continue
        }
      }
      if (c === '"' && this.field === '') { this.inQuotes = true; continue }
      if (c === this.separator) { this.endField(); continue }
      if (c === '\n' || c === '\r') {
        if (c === '\r') this.pendingCr = true
        this.endField()
        const record = this.endRow()
        if (record) out.push(record)
        this.line++
        this.started = false
        continue
      }
      this.field += c
    }
    return out
  }

  /** Flushes a last record without a trailing line break. */
  end(): SourceRecord[] {
    if (this.inQuotes && !this.quotePending) throw new CsvError(`line ${this.rowStartLine}: a quoted field is not closed`)
    this.inQuotes = false
    this.quotePending = false
    if (!this.started) return []
    this.endField()
    const record = this.endRow()
    return record ? [record] : []
  }

  private endField() {
    this.row.push(this.field)
    this.field = ''
  }

  private endRow(): SourceRecord | null {
    const row = this.row
    this.row = []
    if (row.length === 1 && row[0] === '') return null // blank line
    if (!this.header) {
      this.header = row.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim())
      return null
    }
    const fields: Record<string, string> = {}
    this.header.forEach((name, i) => { fields[name] = row[i] ?? '' })
    return { line: this.rowStartLine, fields }
  }
}

export class CsvError extends Error {}

/** Parses a whole CSV text (tests, small files). */
export function parseCsv(text: string, separator = ','): SourceRecord[] {
  const reader = new CsvReader(separator)
  return [...reader.push(text), ...reader.end()]
}

/** NDJSON: one JSON object per line; nested objects are flattened to dotted keys. */
export function parseNdjsonLine(text: string, line: number): SourceRecord | { line: number; error: string } | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  try {
    const value = JSON.parse(trimmed)
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'not a JSON object' }
    const fields: Record<string, string> = {}
    const walk = (obj: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(obj)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${prefix}${k}.`)
        else fields[`${prefix}${k}`] = v === null || v === undefined ? '' : String(v)
      }
    }
    walk(value as Record<string, unknown>, '')
    return { line, fields }
  } catch (e) {
    return { line, error: `not valid JSON: ${(e as Error).message}` }
  }
}
