// History import benchmark (figures, never asserts), the --data-dir path in process:
//  - a generated 500 k-row export shaped like a web shop's invoice lines (invoices of
//    1–40 lines, ~2 % credit notes with a C prefix, postage codes, guest customers),
//    imported without decisions: rows/s (target ≥ 20,000);
//  - the returns of such an export alone, imported with --decide (every line decided by
//    the navigator and its decision stored): return lines/s (target ≥ 5,000).
// Each into a fresh embedded store. Run alone: `npx tsx test/bench/import.bench.ts`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import { loadConfig } from '../../server/config.js'
import { DEFAULT_BATCH, DEFAULT_CONCURRENCY, importRecords, ingestorSink, readSourceFile } from '../../server/import/importer.js'
import { Mapping, RowMapper } from '../../server/import/mapping.js'
import { createRuntime } from '../../server/runtime.js'
import { round } from './stats.js'

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 500_000)
const RETURN_ROWS = Number(process.env.IMPORT_BENCH_RETURNS ?? 50_000)

export const MAPPING = Mapping.parse({
  columns: { orderId: 'InvoiceNo', sku: 'StockCode', name: 'Description', qty: 'Quantity', occurredAt: 'InvoiceDate', unitPrice: 'UnitPrice', customerId: 'CustomerID' },
  // Inside the demo network (Shanghai), so decisions are real routings, not keep-its.
  defaults: { lat: 31.23, lon: 121.47 },
  returnWhen: { flagPattern: { column: 'InvoiceNo', pattern: '^C' } },
  skip: [{ column: 'UnitPrice', pattern: '^0(\\.0*)?$' }],
  excludeSkus: '^(POST|DOT|M|AMAZONFEE)$',
  idPrefix: 'bench',
})

/** A deterministic export: `rows` lines, or only credit notes when returnsOnly. */
export function generateExport(path: string, rows: number, returnsOnly: boolean): void {
  let seed = returnsOnly ? 7 : 3
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const out: string[] = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country']
  const start = Date.parse('2010-12-01T08:00:00Z')
  let invoice = 536_000
  let written = 0
  while (written < rows) {
    invoice++
    const credit = returnsOnly || rand() < 0.02
    const lines = credit ? 1 + Math.floor(rand() * 3) : 1 + Math.floor(rand() * 40)
    const at = new Date(start + (written / rows) * 365 * 86_400_000).toISOString().slice(0, 16).replace('T', ' ')
    const customer = rand() < 0.25 ? '' : String(12_000 + Math.floor(rand() * 4_000))
    for (let l = 0; l < lines && written < rows; l++, written++) {
      const sku = rand() < 0.02 ? 'POST' : `${20_000 + Math.floor(rand() * 4_000)}${rand() < 0.1 ? 'B' : ''}`
      const qty = Math.ceil(rand() ** 3 * 48)
      out.push(`${credit ? 'C' : ''}${invoice},${sku},ITEM ${sku},${credit ? -qty : qty},${at},${(0.5 + rand() * 20).toFixed(2)},${customer},United Kingdom`)
    }
  }
  writeFileSync(path, out.join('\n') + '\n')
}

/**
 * The main (JavaScript) thread's scheduler figures, from /proc on Linux (NaN elsewhere):
 * seconds on a CPU, and seconds runnable but waiting for one (other threads and processes
 * had the cores). What is left of the wall clock the thread slept: the event loop idle, or
 * blocked inside a task.
 */
export function jsThreadSched(): { onCpu: number; waiting: number } {
  const path = `/proc/self/task/${process.pid}/schedstat`
  if (!existsSync(path)) return { onCpu: NaN, waiting: NaN }
  const [onCpu, waiting] = readFileSync(path, 'utf8').split(' ').map(Number)
  return { onCpu: onCpu / 1e9, waiting: waiting / 1e9 }
}

/**
 * Bytes the JS heap allocated while `run` ran (its growth between collections, summed:
 * v8.GCProfiler), and the collections: a measure of the garbage a line makes that does not
 * depend on the load. Pauses by kind (scavenges, marking) are main-thread wall time.
 */
export async function withHeapFigures<T>(run: () => Promise<T>) {
  const profiler = new v8.GCProfiler()
  const used0 = v8.getHeapStatistics().used_heap_size
  profiler.start()
  const result = await run()
  const used1 = v8.getHeapStatistics().used_heap_size
  const collections = profiler.stop().statistics
  let allocated = 0
  let last = used0
  const pausesMs: Record<string, number> = {}
  for (const gc of collections) {
    allocated += gc.beforeGC.heapStatistics.usedHeapSize - last
    last = gc.afterGC.heapStatistics.usedHeapSize
    pausesMs[gc.gcType] = round((pausesMs[gc.gcType] ?? 0) + gc.cost / 1000, 0)
  }
  return { result, allocatedBytes: allocated + used1 - last, collections: collections.length, pausesMs }
}

async function importInto(file: string, decide: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'revnav-bench-import-'))
  try {
    // As the importer's --data-dir runtime (server/import/cli.ts): no live updates.
    const runtime = await createRuntime(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: 'admin:bench-admin-key-0001' }), { live: false })
    try {
      const cpu = process.cpuUsage()
      const js = jsThreadSched()
      const loop = performance.eventLoopUtilization()
      const heap = await withHeapFigures(() => importRecords(readSourceFile(file, "csv"), new RowMapper(MAPPING), ingestorSink(runtime.ctx.ingestor, { decide }), {
        batchSize: Number(process.env.IMPORT_BENCH_BATCH ?? DEFAULT_BATCH.inProcess), concurrency: Number(process.env.IMPORT_BENCH_CONCURRENCY ?? DEFAULT_CONCURRENCY.inProcess),
        closeBefore: new Date(), feedCatalog: true,
      }))
      const summary = heap.result
      const used = process.cpuUsage(cpu)
      const jsEnd = jsThreadSched()
      const loopIdle = performance.eventLoopUtilization(loop).idle / 1000
      const { rejections: _r, files: _f, ...totals } = summary
      // Every thread of the process, the embedded store's included: less sensitive to
      // other processes on the machine than the wall clock.
      return {
        ...totals, cpuSeconds: round((used.user + used.system) / 1e6, 2),
        jsThreadSeconds: round(jsEnd.onCpu - js.onCpu, 2), jsThreadWaitingSeconds: round(jsEnd.waiting - js.waiting, 2),
        eventLoopIdleSeconds: round(loopIdle, 2),
        heapAllocatedMB: round(heap.allocatedBytes / 1e6, 1), collections: heap.collections, gcPausesMs: heap.pausesMs,
      }
    } finally {
      await runtime.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runImportBench() {
  const dir = mkdtempSync(join(tmpdir(), 'revnav-bench-export-'))
  try {
    const mixed = join(dir, 'export.csv')
    const returns = join(dir, 'returns.csv')
    generateExport(mixed, ROWS, false)
    generateExport(returns, RETURN_ROWS, true)
    const history = await importInto(mixed, false)
    const decided = await importInto(returns, true)
    return {
      withoutDecisions: { ...history, rowsPerSecond: Math.round(history.rows / history.seconds), cpuMicrosecondsPerRow: Math.round(history.cpuSeconds * 1e6 / history.rows), target: '≥ 20,000 rows/s' },
      withDecide: {
        ...decided, returnsPerSecond: Math.round(decided.returnRows / decided.seconds),
        cpuMicrosecondsPerReturn: Math.round(decided.cpuSeconds * 1e6 / decided.returnRows),
        // The JS thread's wall clock per return line, split: on a CPU, waiting for one, asleep.
        jsThreadMicrosecondsPerReturn: Math.round(decided.jsThreadSeconds * 1e6 / decided.returnRows),
        jsThreadWaitingForCpuMicrosecondsPerReturn: Math.round(decided.jsThreadWaitingSeconds * 1e6 / decided.returnRows),
        jsThreadAsleepMicrosecondsPerReturn: Math.round((decided.seconds - decided.jsThreadSeconds - decided.jsThreadWaitingSeconds) * 1e6 / decided.returnRows),
        // Of the time asleep, the event loop's own (nothing to run: waiting for the store's
        // inserts); the rest is the thread blocked inside a task (the collector's helper
        // threads, a lock in the store's library).
        eventLoopIdleMicrosecondsPerReturn: Math.round(decided.eventLoopIdleSeconds * 1e6 / decided.returnRows),
        // What the JS heap allocated a return line (all of the import's JS work: mapping,
        // validation, the navigator, rows), and the collections it caused (nearly all scavenges of the young generation).
        heapAllocatedKBPerReturn: round(decided.heapAllocatedMB * 1e3 / decided.returnRows, 1),
        collectionsPer1000Returns: round(decided.collections * 1e3 / decided.returnRows, 1),
        target: '≥ 5,000 returns/s',
      },
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      note: `rows ${ROWS}, return rows ${RETURN_ROWS}; seconds include reading and parsing the CSV; ${round(history.events / Math.max(1, history.accepted), 3)} events per accepted row (invoice lines grouped)`,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runImportBench(), null, 2))
}
