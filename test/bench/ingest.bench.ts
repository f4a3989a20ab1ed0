// Issue 2 benchmark: end-to-end ingest over HTTP (NDJSON batches of 1,000
// return.requested events, acknowledged after durable) against the raw insert rate of
// the same rows straight into the embedded store, measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../server/store/client.js'
import { migrate } from '../../server/store/migrate.js'
import { rawEventRow } from '../../server/store/rows.js'
import { toChTime } from '../../server/store/query.js'
import type { ReturnRequested } from '../../server/contracts/events.js'
import { median, quantile, round, sleep } from './stats.js'
import { BENCH_INGEST_KEY, startServerProcess } from '../helpers/server-process.js'
import { benchReturnRequests } from './generators.js'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../../server/network/network-file.js'
import type { Network } from '../../server/navigator/network.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { demoInventorySnapshots } from '../../server/sim/demo-network/requests.js'
import { decisionRow } from '../../server/store/rows.js'
import { EventScopedIds } from '../../server/navigator-service/ids.js'

const BATCH = 1_000
/** Concurrent producers: enough in flight for the writer to coalesce and both cores to work. */
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 8)

/** The decision rows the server stores for these requests, decided here (untimed) on the same network. */
function decisionRowsFor(network: Network, batches: ReturnRequested[][]): object[][] {
  const ids = new EventScopedIds()
  const nav = new Navigator(network, ids.newId, ids.newToken)
  const start = new Date(batches[0][0].occurredAt)
  for (const snap of demoInventorySnapshots(network, start)) nav.applyEvent(snap, start, DEFAULT_WEIGHTS_VERSION)
  return batches.map((b) => b.flatMap((e) => nav.decideRequest(e, new Date(e.occurredAt), DEFAULT_WEIGHTS_VERSION).map((decision) =>
    decisionRow({ decision, category: network.catalog.get(decision.sku)?.category ?? '', reason: e.lines[decision.lineIndex].reason }))))
}

/**
 * Rows straight into a fresh embedded store, 1,000-event batches, one insert at a time:
 * the event rows alone, and the event rows plus their decision rows (what the server
 * stores per request). Events/s for each.
 */
async function rawInsertRates(batches: ReturnRequested[][], decisionRows: object[][]): Promise<{ events: number; eventsAndDecisions: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'revnav-bench-raw-'))
  const store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
  try {
    await migrate(store.client)
    const now = toChTime(new Date())
    const rows = batches.map((b) => b.map((e) => rawEventRow(e, now)))
    const half = Math.floor(batches.length / 2)
    let started = performance.now()
    for (const batch of rows.slice(0, half)) await store.client.insert({ table: 'raw_events', values: batch, format: 'JSONEachRow' })
    const events = (half * BATCH) / ((performance.now() - started) / 1000)
    started = performance.now()
    for (let i = half; i < rows.length; i++) {
      await store.client.insert({ table: 'decisions', values: decisionRows[i], format: 'JSONEachRow' })
      await store.client.insert({ table: 'raw_events', values: rows[i], format: 'JSONEachRow' })
    }
    const eventsAndDecisions = ((rows.length - half) * BATCH) / ((performance.now() - started) / 1000)
    return { events, eventsAndDecisions }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Sends one batch as a well-behaved producer does: a 503 is resent after its Retry-After. */
async function postBatch(url: string, body: string): Promise<number> {
  const started = performance.now()
  for (;;) {
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${BENCH_INGEST_KEY}`, 'content-type': 'application/x-ndjson' }, body,
    })
    const json = (await res.json()) as { accepted: number }
    if (res.status === 503) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000))
      continue
    }
    if (res.status !== 200 || json.accepted !== BATCH) throw new Error(`batch not accepted: ${res.status} ${JSON.stringify(json).slice(0, 300)}`)
    return performance.now() - started
  }
}

/** Closed loop with `concurrency` producers: the peak rate. */
async function peakRate(url: string, bodies: string[], concurrency: number): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) await postBatch(url, bodies[next++])
  }))
  return (bodies.length * BATCH) / ((performance.now() - started) / 1000)
}

/** Open loop at a fixed request rate: latency at a given load. */
async function latencyAt(url: string, bodies: string[], eventsPerSecond: number) {
  const intervalMs = (BATCH / eventsPerSecond) * 1000
  const latencies: number[] = []
  const inflight: Promise<void>[] = []
  const started = performance.now()
  for (let i = 0; i < bodies.length; i++) {
    const due = started + i * intervalMs
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    inflight.push(postBatch(url, bodies[i]).then((ms) => { latencies.push(ms) }))
  }
  await Promise.all(inflight)
  latencies.sort((a, b) => a - b)
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) }
}

interface ServerFigures { e2e: number[]; overRaw: number[]; overRawWithDecisions: number[]; latency: { p50: number; p99: number; rate: number }; rssMb: number }

export async function runIngestBench(opts: { batches?: number; reps?: number } = {}) {
  const batchesPerRun = opts.batches ?? 40
  const reps = opts.reps ?? 3
  // Distinct events for every run: a server refuses repeats as duplicates. Per server:
  // warm-up (half a run), `reps` runs, one run for latency.
  const perServer = batchesPerRun / 2 + batchesPerRun * (reps + 1)
  const total = perServer * 2
  // SKUs of the demo network the server decides on, so every line is fully decided.
  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const all = benchReturnRequests(total * BATCH, 42, [...network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price })))
  const batches: ReturnRequested[][] = []
  for (let i = 0; i < total; i++) batches.push(all.slice(i * BATCH, (i + 1) * BATCH))
  const bodies = batches.map((b) => b.map((e) => JSON.stringify(e)).join('\n'))
  let cursor = 0
  const take = (n: number) => { const s = bodies.slice(cursor, cursor + n); cursor += n; return s }
  const raw: number[] = []
  const rawWithDecisions: number[] = []

  /** One server process: warm-up, then raw baseline and end-to-end alternating `reps` times, then latency at half its peak. */
  async function measure(entry: string): Promise<ServerFigures> {
    const dataDir = mkdtempSync(join(tmpdir(), 'revnav-bench-e2e-'))
    const server = await startServerProcess(dataDir, {}, entry)
    try {
      await peakRate(server.url, take(batchesPerRun / 2), PRODUCERS) // warm-up (JIT, first parts)
      const out: ServerFigures = { e2e: [], overRaw: [], overRawWithDecisions: [], latency: { p50: 0, p99: 0, rate: 0 }, rssMb: 0 }
      for (let r = 0; r < reps; r++) {
        // Alternating within the same command so drift hits both alike. The baseline
        // inserts copies of the batches the server is about to get, into its own store.
        const slice = batches.slice(cursor, cursor + batchesPerRun)
        const rates = await rawInsertRates(slice, decisionRowsFor(network, slice))
        const rate = await peakRate(server.url, take(batchesPerRun), PRODUCERS)
        raw.push(rates.events); rawWithDecisions.push(rates.eventsAndDecisions)
        out.e2e.push(rate); out.overRaw.push(rate / rates.events); out.overRawWithDecisions.push(rate / rates.eventsAndDecisions)
      }
      const peak = median(out.e2e)
      const lat = await latencyAt(server.url, take(batchesPerRun), peak * 0.5)
      out.latency = { p50: lat.p50, p99: lat.p99, rate: peak * 0.5 }
      out.rssMb = server.peakRssMb()
      return out
    } finally {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }

  const report = (f: ServerFigures) => ({
    endToEndEventsPerSec: round(median(f.e2e), 0),
    endToEndOverRaw: round(median(f.overRaw), 3),
    endToEndOverRawWithDecisions: round(median(f.overRawWithDecisions), 3),
    latencyAtHalfPeakMs: { p50: round(f.latency.p50, 1), p99: round(f.latency.p99, 1), eventsPerSec: round(f.latency.rate, 0) },
    serverPeakRssMb: round(f.rssMb, 0),
  })
  const product = await measure('server/main.ts')
  const ingestOnly = await measure('test/helpers/ingest-only-server.ts')
  return {
    batchSize: BATCH,
    producers: PRODUCERS,
    eventsPerRun: batchesPerRun * BATCH,
    repetitions: reps,
    rawInsertEventsPerSec: round(median(raw), 0),
    rawInsertEventsWithDecisionsPerSec: round(median(rawWithDecisions), 0),
    withNavigator: report(product),
    ingestLayerOnly: report(ingestOnly),
    note: 'withNavigator: the product (zod validation, dedupe, the navigator deciding every line, durable write of events and decisions). '
      + 'ingestLayerOnly: the same server with the placeholder router (events stored, no decision), as issue 2 specifies before the navigator. '
      + 'rawInsertEventsPerSec stores the event rows only; rawInsertEventsWithDecisionsPerSec the event rows and their decision rows (the rows withNavigator stores). '
      + 'The over-raw ratios pair each run with the baseline measured just before it.',
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runIngestBench().then((r) => console.log(JSON.stringify(r, null, 2)))
}
