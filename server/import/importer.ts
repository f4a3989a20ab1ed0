// Streams source records through the mapping into batches of events and hands them to a
// sink: a running server over HTTP or an in-process ingestor (tests, --data-dir).
// Consecutive rows of one invoice or credit note become one multi-line event (fewer,
// larger events: the store's insert rate is per event). Rejections keep the source file
// and line, whether the mapping or the server refused the row.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { CatalogItem, Event, OrderPlaced, ReturnRequested } from '../contracts/events.js'
import type { Ingestor } from '../ingest/ingest.js'
import type { RawItem } from '../ingest/body.js'
import { CsvReader, parseNdjsonLine, type SourceRecord } from '../csv.js'
import type { CatalogHint, RowError, RowMapper } from './mapping.js'
import type { ServiceArea } from './service-area.js'
import { postExpectingContinue } from '../producer/expect-post.js'

export interface SinkResult { status: 'accepted' | 'duplicate' | 'rejected'; errors?: RowError[] }
export interface EventSink {
  /**
   * One result per event, in order. `checked[i]`: events[i] is already the Event
   * contract's parse (the mapper's), which an in-process sink need not repeat.
   */
  send(events: Event[], checked?: readonly boolean[]): Promise<SinkResult[]>
}

export interface ImportProgress {
  rows: number; accepted: number; duplicates: number; rejected: number; skipped: number; excluded: number
  rowsPerSecond: number
  /** Source bytes read so far, for a progress bar against the files' total size. */
  bytes: number
}
export interface ImportSummary extends ImportProgress {
  seconds: number
  events: number
  returnRows: number
  /** Returns stored as closed history (a `closed` status at their own date). */
  closedReturns: number
  catalogItems: number
  files: { file: string; rows: number }[]
  /** Return rows whose customer is outside every inbound mode's service area. */
  outsideServiceArea?: { returnRows: number; customers: number }
  /** The first rejections, up to maxRejections. */
  rejections: { file?: string; line: number; errors: RowError[] }[]
}

export type SourceItem = (SourceRecord | { line: number; error: string }) & { file?: string; bytes?: number }

export interface ImportOptions {
  batchSize?: number
  maxRejections?: number
  onProgress?: (p: ImportProgress) => void
  progressEveryMs?: number
  /**
   * Returns that happened before this instant are closed history: each is stored with a
   * `closed` status at its own date, so it is not open work. Undefined: none.
   */
  closeBefore?: Date
  /** Catalog items to upsert before any row (--catalog). */
  catalog?: CatalogItem[]
  /** Whether rows feed the catalog (a name or category column, or defaults for new SKUs). */
  feedCatalog?: boolean
  catalogDefaults?: { category: string; weightKg: number; repairable: boolean }
  serviceArea?: ServiceArea
  /** Batches in flight at once: mapping the next while the store writes the last. */
  concurrency?: number
}

const MAX_LINES = { 'order.placed': 200, 'return.requested': 100 } as const

/**
 * Events per batch by default. In process (--data-dir) a batch is one insert per table,
 * and at 1,000 events the embedded store's cost per insert (a part per table and per
 * view, and their merges) was most of its work in an import with --decide: 5,000 took
 * about half the store's CPU per line (docs/benchmarks.md). Over HTTP a batch is one
 * request, kept at 1,000 as before.
 */
export const DEFAULT_BATCH = { inProcess: 5000, http: 1000 } as const
/**
 * Batches in flight by default. In process a batch is mapped and validated, then waits
 * for its turn to be decided, while the batches before it are stored: with two, the
 * event loop sat idle more often waiting for the store's inserts than with three
 * (docs/benchmarks.md). Each batch in flight holds its events and decisions in memory.
 */
export const DEFAULT_CONCURRENCY = { inProcess: 3, http: 2 } as const
/**
 * A batch is also cut at this many return lines: each is a decision row with --decide,
 * and the batches in flight must stay well inside the writer's bound on queued rows
 * (WRITER_MAX_QUEUED_ROWS, 500,000 by default) whatever the lines per credit note.
 */
const MAX_BATCH_RETURN_LINES = 50_000

interface Pending { event: OrderPlaced | ReturnRequested; rows: { file?: string; line: number }[]; derivedRmaId: boolean; memberIds: string[] }
/**
 * `checked`: the event is the mapper's parse with the Event contract, or rows of one
 * invoice joined (each row parsed; the join keeps the contract: at most MAX_LINES lines,
 * ids of the validated prefix and hex digits). Catalog and status events built here are
 * not, and are parsed by the ingestor.
 */
interface Outgoing { event: Event; rows: { file?: string; line: number }[]; checked?: boolean }

export async function importRecords(
  records: AsyncIterable<SourceItem> | Iterable<SourceItem>,
  mapper: RowMapper,
  sink: EventSink,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH.http
  const maxRejections = opts.maxRejections ?? 1000
  const concurrency = Math.max(1, opts.concurrency ?? 2)
  const started = performance.now()
  const s = { rows: 0, accepted: 0, duplicates: 0, rejected: 0, skipped: 0, excluded: 0, bytes: 0 }
  let events = 0, returnRows = 0, closedReturns = 0
  const files = new Map<string, number>()
  const rejections: ImportSummary['rejections'] = []
  const reject = (file: string | undefined, line: number, errors: RowError[]) => {
    s.rejected++
    if (rejections.length < maxRejections) rejections.push({ ...(file !== undefined ? { file } : {}), line, errors })
  }
  const progress = (): ImportProgress => {
    const seconds = (performance.now() - started) / 1000
    return { ...s, rowsPerSecond: seconds > 0 ? Math.round(s.rows / seconds) : 0 }
  }
  let lastProgress = 0
  let batch: Outgoing[] = []
  let batchReturnLines = 0
  const inFlight = new Set<Promise<void>>()
  let failure: unknown

  const send = async (sent: Outgoing[]) => {
    const results = await sink.send(sent.map((b) => b.event), sent.map((b) => b.checked === true))
    results.forEach((r, i) => {
      const rows = sent[i].rows
      if (r.status === 'accepted') s.accepted += rows.length
      else if (r.status === 'duplicate') s.duplicates += rows.length
      else for (const row of rows) reject(row.file, row.line, r.errors ?? [{ path: '', message: 'rejected by the server' }])
    })
    const now = performance.now()
    if (opts.onProgress && now - lastProgress >= (opts.progressEveryMs ?? 250)) {
      lastProgress = now
      opts.onProgress(progress())
    }
  }
  const flush = async () => {
    if (!batch.length) return
    const sent = batch
    batch = []
    batchReturnLines = 0
    const p = send(sent).catch((e) => { failure ??= e }).finally(() => inFlight.delete(p))
    inFlight.add(p)
    if (inFlight.size >= concurrency) await Promise.race(inFlight)
    if (failure) throw failure
  }
  const push = async (item: Outgoing) => {
    batch.push(item)
    events++
    if (item.event.type === 'return.requested') batchReturnLines += item.event.lines.length
    if (batch.length >= batchSize || batchReturnLines >= MAX_BATCH_RETURN_LINES) await flush()
  }

  // The catalog: items given up front, then SKUs as rows introduce them (sent in the same
  // batch as, and before, the first event naming them, so a decision sees the category).
  const catalogDefaults = opts.catalogDefaults ?? { category: 'uncategorised', weightKg: 1, repairable: false }
  const known = new Set<string>()
  let catalogItems = 0
  const upsertCatalog = async (items: CatalogItem[]) => {
    for (let i = 0; i < items.length; i += 5000) {
      const chunk = items.slice(i, i + 5000)
      const digest = createHash('sha256').update(JSON.stringify(chunk)).digest('hex').slice(0, 24)
      catalogItems += chunk.length
      await push({ event: { eventId: `${mapper.mapping.idPrefix}:catalog:${digest}`, type: 'catalog.upsert', occurredAt: new Date().toISOString(), items: chunk }, rows: [] })
    }
  }
  if (opts.catalog?.length) {
    for (const item of opts.catalog) known.add(item.sku)
    await upsertCatalog(opts.catalog)
  }
  const catalogFrom = (hint: CatalogHint): CatalogItem => {
    const category = slug(hint.category) ?? catalogDefaults.category
    return {
      sku: hint.sku, name: (hint.name ?? hint.sku).slice(0, 200), category, productType: category,
      price: Math.max(0, Math.min(hint.unitPrice ?? 0, 10_000_000)), weightKg: catalogDefaults.weightKg,
      repairable: catalogDefaults.repairable, lifecycle: 'current',
    }
  }

  const outside = { rows: 0, customers: new Set<string>() }
  let pending: Pending | null = null
  const emit = async (p: Pending) => {
    const e = p.event
    if (p.memberIds.length > 1) {
      const digest = createHash('sha256').update(p.memberIds.join('\n')).digest('hex').slice(0, 24)
      e.eventId = `${mapper.mapping.idPrefix}:${digest}`
      if (e.type === 'return.requested' && p.derivedRmaId) e.rmaId = `${mapper.mapping.idPrefix}-rma-${digest.slice(0, 16)}`
    }
    await push({ event: e, rows: p.rows, checked: true })
    if (e.type === 'return.requested' && opts.closeBefore && Date.parse(e.occurredAt) < opts.closeBefore.getTime()) {
      closedReturns++
      await push({ event: { eventId: `${e.eventId}:closed`, type: 'return.status', occurredAt: e.occurredAt, rmaId: e.rmaId, status: 'closed', note: 'imported history' }, rows: [] })
    }
  }
  // Rows of one invoice (same order, time, customer) join one event, up to the contract's lines.
  const sameGroup = (p: Pending, e: OrderPlaced | ReturnRequested, derivedRmaId: boolean): boolean => {
    const a = p.event
    if (a.type !== e.type || a.orderId !== e.orderId || a.occurredAt !== e.occurredAt || a.lines.length >= MAX_LINES[a.type]) return false
    if (a.customer.id !== e.customer.id || a.customer.lat !== e.customer.lat || a.customer.lon !== e.customer.lon) return false
    if (a.type === 'return.requested' && e.type === 'return.requested') {
      return a.channel === e.channel && (derivedRmaId ? p.derivedRmaId : a.rmaId === e.rmaId)
    }
    return true
  }

  for await (const item of records) {
    if (item.bytes) s.bytes += item.bytes
    if (!('fields' in item) && !('error' in item)) continue // a byte-count marker
    s.rows++
    if (item.file !== undefined) files.set(item.file, (files.get(item.file) ?? 0) + 1)
    if ('error' in item) { reject(item.file, item.line, [{ path: '', message: item.error }]); continue }
    const mapped = mapper.map(item)
    if (mapped.status === 'rejected') { reject(item.file, mapped.line, mapped.errors); continue }
    if (mapped.status !== 'event') { s[mapped.status]++; continue }
    const e = mapped.event as OrderPlaced | ReturnRequested
    if (e.type === 'return.requested') {
      returnRows++
      if (opts.serviceArea && !opts.serviceArea.covers(e.customer.lat, e.customer.lon)) {
        outside.rows++
        outside.customers.add(e.customer.id)
      }
    }
    if (opts.feedCatalog && !known.has(mapped.catalog.sku)) {
      known.add(mapped.catalog.sku)
      catalogItems++
      batch.push({ event: catalogUpsertOf(mapper.mapping.idPrefix, catalogFrom(mapped.catalog)), rows: [] })
    }
    const row = { ...(item.file !== undefined ? { file: item.file } : {}), line: mapped.line }
    if (pending && sameGroup(pending, e, mapped.derivedRmaId)) {
      ;(pending.event.lines as unknown[]).push(e.lines[0])
      pending.rows.push(row)
      pending.memberIds.push(e.eventId)
      continue
    }
    if (pending) await emit(pending)
    pending = { event: e, rows: [row], derivedRmaId: mapped.derivedRmaId, memberIds: [e.eventId] }
  }
  if (pending) await emit(pending)
  await flush()
  await Promise.all(inFlight)
  if (failure) throw failure
  const final = progress()
  opts.onProgress?.(final)
  return {
    ...final, events, returnRows, closedReturns, catalogItems,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    files: [...files].map(([file, rows]) => ({ file, rows })),
    ...(opts.serviceArea ? { outsideServiceArea: { returnRows: outside.rows, customers: outside.customers.size } } : {}),
    rejections,
  }
}

function catalogUpsertOf(prefix: string, item: CatalogItem): Event {
  const digest = createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 24)
  return { eventId: `${prefix}:catalog:${digest}`, type: 'catalog.upsert', occurredAt: new Date().toISOString(), items: [item] }
}

/** A category name as a catalog id: "Home & Garden" → "home-garden". */
export function slug(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const s = text.toLowerCase().normalize('NFKD').replace(/[^\w.:\-\/#@]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64)
  return s || undefined
}

/** Records of a CSV or NDJSON file, streamed; each carries its file and the bytes read. */
export async function* readSourceFile(path: string, format: 'csv' | 'ndjson', separator = ',', label = path): AsyncGenerator<SourceItem> {
  if (format === 'ndjson') {
    let line = 0
    for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
      line++
      const record = parseNdjsonLine(text, line)
      const bytes = Buffer.byteLength(text) + 1
      if (record) yield { ...record, file: label, bytes }
      else yield { file: label, bytes } as SourceItem
    }
    return
  }
  const reader = new CsvReader(separator)
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const records = reader.push((chunk as Buffer).toString('utf8'))
    yield { file: label, bytes: (chunk as Buffer).length } as SourceItem
    for (const r of records) yield { ...r, file: label }
  }
  for (const r of reader.end()) yield { ...r, file: label }
}

/** Several files read one after another as one stream of records. */
export async function* readSourceFiles(files: { path: string; format: 'csv' | 'ndjson' }[], separator = ','): AsyncGenerator<SourceItem> {
  for (const f of files) yield* readSourceFile(f.path, f.format, separator)
}

/**
 * Sends batches to POST /api/v1/events as NDJSON; waits out 503s as Retry-After says.
 * Without `decide` the server stores the returns without deciding them (history).
 */
export function httpSink(baseUrl: string, key: string, opts: { decide?: boolean; maxRetries?: number } = {}): EventSink {
  const url = new URL('/api/v1/events', baseUrl)
  if (opts.decide === false) url.searchParams.set('decide', 'false')
  const maxRetries = opts.maxRetries ?? 20
  return {
    async send(events) {
      const body = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'))
      for (let attempt = 0; ; attempt++) {
        // Expect: 100-continue: a batch the server sheds (503) is refused before it is uploaded.
        const res = await postExpectingContinue(url.href, { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body, 120_000)
        if (res.status === 503 && attempt < maxRetries) {
          const wait = Number(res.headers['retry-after'] ?? '1')
          await new Promise((r) => setTimeout(r, Math.max(0.2, Math.min(Number.isFinite(wait) ? wait : 1, 30)) * 1000))
          continue
        }
        if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${res.text.slice(0, 300)}`)
        const outcome = JSON.parse(res.text) as { results: SinkResult[] }
        return outcome.results
      }
    },
  }
}

/** Hands batches to an ingestor in this process (tests, --data-dir). */
export function ingestorSink(ingestor: Ingestor, opts: { decide?: boolean } = {}): EventSink {
  return {
    async send(events, checked) {
      // In order: the importer keeps batches in flight together, and each must be decided
      // after the one before it, as one request at a time over HTTP would be.
      const items: RawItem[] = events.map((value, i) => (checked?.[i] ? { ok: true, value, checked: true } : { ok: true, value }))
      const outcome = await ingestor.ingest(items, { decide: opts.decide ?? true, inOrder: true })
      return outcome.results
    },
  }
}
