// Streams source records through the mapping into batches of events and hands them to a
// sink: a running server over HTTP (the default: the embedded store allows one process
// per data dir) or an in-process ingestor (tests, --data-dir). Rejections keep the
// source line number, whether the mapping or the server refused the row.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Event } from '../contracts/events.js'
import type { Ingestor } from '../ingest/ingest.js'
import { CsvReader, parseNdjsonLine, type SourceRecord } from './csv.js'
import type { RowError, RowMapper } from './mapping.js'

export interface SinkResult { status: 'accepted' | 'duplicate' | 'rejected'; errors?: RowError[] }
export interface EventSink {
  /** One result per event, in order. */
  send(events: Event[]): Promise<SinkResult[]>
}

export interface ImportProgress { rows: number; accepted: number; duplicates: number; rejected: number; rowsPerSecond: number }
export interface ImportSummary extends ImportProgress {
  seconds: number
  /** The first rejections (line numbers of the source file), up to maxRejections. */
  rejections: { line: number; errors: RowError[] }[]
}

export type SourceItem = SourceRecord | { line: number; error: string }

export async function importRecords(
  records: AsyncIterable<SourceItem> | Iterable<SourceItem>,
  mapper: RowMapper,
  sink: EventSink,
  opts: { batchSize?: number; maxRejections?: number; onProgress?: (p: ImportProgress) => void; progressEveryMs?: number } = {},
): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? 1000
  const maxRejections = opts.maxRejections ?? 1000
  const started = performance.now()
  const s = { rows: 0, accepted: 0, duplicates: 0, rejected: 0 }
  const rejections: ImportSummary['rejections'] = []
  const reject = (line: number, errors: RowError[]) => {
    s.rejected++
    if (rejections.length < maxRejections) rejections.push({ line, errors })
  }
  const progress = (): ImportProgress => {
    const seconds = (performance.now() - started) / 1000
    return { ...s, rowsPerSecond: seconds > 0 ? Math.round(s.rows / seconds) : 0 }
  }
  let lastProgress = 0
  let batch: { line: number; event: Event }[] = []

  const flush = async () => {
    if (!batch.length) return
    const sent = batch
    batch = []
    const results = await sink.send(sent.map((b) => b.event))
    results.forEach((r, i) => {
      if (r.status === 'accepted') s.accepted++
      else if (r.status === 'duplicate') s.duplicates++
      else reject(sent[i].line, r.errors ?? [{ path: '', message: 'rejected by the server' }])
    })
    const now = performance.now()
    if (opts.onProgress && now - lastProgress >= (opts.progressEveryMs ?? 250)) {
      lastProgress = now
      opts.onProgress(progress())
    }
  }

  for await (const item of records) {
    s.rows++
    if ('error' in item) { reject(item.line, [{ path: '', message: item.error }]); continue }
    const mapped = mapper.map(item)
    if (!mapped.ok) { reject(mapped.line, mapped.errors); continue }
    batch.push({ line: mapped.line, event: mapped.event })
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  const final = progress()
  opts.onProgress?.(final)
  return { ...final, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), rejections }
}

/** Records of a CSV or NDJSON file, streamed. */
export async function* readSourceFile(path: string, format: 'csv' | 'ndjson', separator = ','): AsyncGenerator<SourceItem> {
  if (format === 'ndjson') {
    let line = 0
    for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
      line++
      const record = parseNdjsonLine(text, line)
      if (record) yield record
    }
    return
  }
  const reader = new CsvReader(separator)
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    yield* reader.push(chunk as string)
  }
  yield* reader.end()
}

/** Sends batches to POST /api/v1/events as NDJSON; waits out 503s as Retry-After says. */
export function httpSink(baseUrl: string, key: string, maxRetries = 20): EventSink {
  const url = new URL('/api/v1/events', baseUrl).toString()
  return {
    async send(events) {
      const body = events.map((e) => JSON.stringify(e)).join('\n')
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body })
        if (res.status === 503 && attempt < maxRetries) {
          const wait = Number(res.headers.get('retry-after') ?? '1')
          await new Promise((r) => setTimeout(r, Math.max(0.2, Math.min(wait, 30)) * 1000))
          continue
        }
        if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
        const outcome = await res.json() as { results: SinkResult[] }
        return outcome.results
      }
    },
  }
}

/** Hands batches to an ingestor in this process (tests, --data-dir). */
export function ingestorSink(ingestor: Ingestor): EventSink {
  return {
    async send(events) {
      const outcome = await ingestor.ingest(events.map((value) => ({ ok: true as const, value })))
      return outcome.results
    },
  }
}
