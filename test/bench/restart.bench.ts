// Restart benchmark (figures, never asserts): builds a demo-sized store the way `npm start`
// does on an empty data dir (30 days of simulated history through the real ingest path),
// shuts it down cleanly (which writes a navigator checkpoint), then times start-to-ready
// of the runtime REPEATS times each way:
//  - full replay: the checkpoint is ignored, the navigator state is rebuilt from events;
//  - checkpoint: the newest checkpoint is loaded and only the tail is replayed.
// A few hundred events are ingested after the checkpoint so the tail is not empty.
// RESTART_BENCH_DATA_DIR reuses (or keeps) a built store; RESTART_BENCH_DAYS and
// RESTART_BENCH_ORDERS_PER_DAY size it (defaults: the demo's 30 days × 1,500 orders).
// RESTART_BENCH_OLD_RETURNS (default 0) adds that many older returns (100 days to two
// years back, each a return.requested event and a decision, a fifth re-decided), written
// inside the store: the history a large shop's restart has to pass over.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import type { NavigatorService } from '../../server/navigator-service/service.js'
import { startDemo } from '../../server/sim/demo.js'
import { z } from 'zod'
import { int } from '../../server/store/columns.js'
import { query } from '../../server/store/query.js'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'
import { toSnapshotChunks } from '../../server/navigator/snapshot.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { benchReturnRequests } from './generators.js'
import { benchSql } from './sql.js'
import { median, round } from './stats.js'

const REPEATS = 3
const TAIL_EVENTS = 500

function configFor(dataDir: string) {
  return loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: 'admin:restart-bench-admin-key' })
}

async function start(dataDir: string, useCheckpoint: boolean): Promise<{ runtime: Runtime; service: NavigatorService; ms: number }> {
  const t0 = performance.now()
  const runtime = await createRuntime(configFor(dataDir), { navigatorOptions: { useCheckpoint, log: { info: () => {}, warn: console.warn } } })
  const service = runtime.navigator!
  const ms = performance.now() - t0
  if (!runtime.ctx.isReady()) throw new Error('runtime not ready after createRuntime')
  return { runtime, service, ms }
}

async function buildDemoStore(dataDir: string, days: number, ordersPerDay: number): Promise<{ events: number; ms: number }> {
  const t0 = performance.now()
  const { runtime, service } = await start(dataDir, true)
  let live!: () => void
  const wentLive = new Promise<void>((r) => { live = r })
  const demo = await startDemo(runtime.ctx, service.network, {
    enabled: true, backfillDays: days, backfillOrdersPerDay: ordersPerDay,
    log: { info: (m: string) => { if (String(m).includes('going live')) live() }, warn: console.warn, error: console.error },
  })
  await Promise.race([wentLive, demo.done])
  await demo.stop()
  await runtime.close()
  const stats = await countEvents(dataDir)
  return { events: stats, ms: performance.now() - t0 }
}

const HEAVY = { max_memory_usage: '8000000000', max_threads: 2 }
const OLDER_THAN_DAYS = 100
const OLD_CHUNK = 1_000_000

/** Adds old returns up to `total` (those already added are kept); returns how many were added. */
async function addOldReturns(dataDir: string, total: number): Promise<{ added: number; ms: number }> {
  const t0 = performance.now()
  const { runtime } = await start(dataDir, true)
  try {
    const client = runtime.ctx.store.client
    const [{ n: have }] = await query(client, { query: benchSql('old-return-events-count'), tag: 'bench.restart.old', schema: z.object({ n: int }) })
    const nowMs = Date.now()
    for (let from = have; from < total; from += OLD_CHUNK) {
      const n = Math.min(OLD_CHUNK, total - from)
      await client.command({ query: benchSql('generate-old-return-events'), query_params: { nowMs, olderThanDays: OLDER_THAN_DAYS, start: from, n }, clickhouse_settings: HEAVY })
      // The decisions of the same old returns' period (the analytics bench's generator).
      await client.command({ query: benchSql('generate-decisions'), query_params: { nowMs: nowMs - OLDER_THAN_DAYS * 86_400_000, span: 630 * 86_400_000, start: from, n, skus: 20_000 }, clickhouse_settings: HEAVY })
      console.error(`old returns: ${(from + n).toLocaleString('en')} / ${total.toLocaleString('en')}`)
    }
    return { added: Math.max(0, total - have), ms: performance.now() - t0 }
  } finally {
    await runtime.close()
  }
}

async function countEvents(dataDir: string): Promise<number> {
  const { runtime } = await start(dataDir, true)
  try {
    const [{ n }] = await query(runtime.ctx.store.client, { query: benchSql('raw-events-count'), tag: 'bench.restart.count', schema: z.object({ n: int }) })
    return n
  } finally {
    await runtime.close()
  }
}

/**
 * What taking a checkpoint costs the event loop: the snapshot of a state holding
 * `openReturns` open returns (decided on the demo network, all within the window) is one
 * synchronous step. test/bench/checkpoint-cost.ts measures larger states and the write. CPU time of the step, median of three.
 */
function snapshotCost(openReturns: number) {
  const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
  let n = 0
  const nav = new Navigator(network, () => `snap-${++n}`, () => `tok-${n}`)
  const at = new Date()
  const skus = network.file.catalog.map((c) => ({ sku: c.sku, price: c.price ?? 100 }))
  for (const r of benchReturnRequests(openReturns, 5, skus)) nav.applyEvent({ ...r, occurredAt: at.toISOString() }, at, DEFAULT_WEIGHTS_VERSION)
  const cpuMs: number[] = []
  let bytes = 0
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage()
    bytes = toSnapshotChunks(nav.state).reduce((sum, chunk) => sum + chunk.length, 0)
    const c = process.cpuUsage(c0)
    cpuMs.push((c.user + c.system) / 1000)
  }
  return { openReturns, megabytes: round(bytes / 2 ** 20, 1), cpuMs: Math.round(median(cpuMs)) }
}

export async function runRestartBench() {
  const days = Number(process.env.RESTART_BENCH_DAYS ?? 30)
  const ordersPerDay = Number(process.env.RESTART_BENCH_ORDERS_PER_DAY ?? 1_500)
  const keep = process.env.RESTART_BENCH_DATA_DIR
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'revnav-restart-bench-'))
  try {
    const build = existsSync(join(dataDir, 'clickhouse')) ? { events: await countEvents(dataDir), ms: 0, reused: true } : await buildDemoStore(dataDir, days, ordersPerDay)
    console.error(`store: ${build.events} events (built in ${Math.round(build.ms)} ms)`)
    const oldReturns = Number(process.env.RESTART_BENCH_OLD_RETURNS ?? 0)
    const old = oldReturns > 0 ? await addOldReturns(dataDir, oldReturns) : { added: 0, ms: 0 }
    if (old.added) console.error(`added ${old.added} old returns in ${Math.round(old.ms)} ms`)

    // A tail after the checkpoint written by the last clean shutdown: events that arrive
    // while the server runs, stored after the checkpoint, replayed on top of it.
    const tailStart = await start(dataDir, true)
    const requests = benchReturnRequests(TAIL_EVENTS, 7)
    await tailStart.runtime.ctx.ingestor.ingest(requests.map((value) => ({ ok: true as const, value })))
    await tailStart.service.checkpoints.checkpoint()
    await tailStart.runtime.ctx.ingestor.ingest(benchReturnRequests(TAIL_EVENTS, 8).map((value) => ({ ok: true as const, value })))
    // Crash-like stop for the tail to stay a tail: close without the shutdown checkpoint.
    await tailStart.service.checkpoints.stop(false)
    await tailStart.runtime.close()

    const full: number[] = []
    const fromCheckpoint: number[] = []
    let restored: NavigatorService['restored'] | undefined
    let fullRestored: NavigatorService['restored'] | undefined
    for (let i = 0; i < REPEATS; i++) {
      for (const useCheckpoint of [false, true]) {
        const s = await start(dataDir, useCheckpoint)
        ;(useCheckpoint ? fromCheckpoint : full).push(s.ms)
        if (useCheckpoint) restored = s.service.restored
        else fullRestored = s.service.restored
        // Leave the checkpoint as it was, so every start replays the same tail.
        await s.service.checkpoints.stop(false)
        await s.runtime.close()
      }
    }
    return {
      storeEvents: old.added ? await countEvents(dataDir) : build.events,
      oldReturns,
      storeBuildMs: Math.round(build.ms),
      repeats: REPEATS,
      fullReplay: { medianMs: Math.round(median(full)), runsMs: full.map((x) => Math.round(x)), restored: fullRestored },
      checkpoint: { medianMs: Math.round(median(fromCheckpoint)), runsMs: fromCheckpoint.map((x) => Math.round(x)), restored },
      speedup: round(median(full) / median(fromCheckpoint), 1),
      snapshot: [10_000, 50_000].map(snapshotCost),
    }
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runRestartBench(), null, 2))
}
