// Restart benchmark (figures, never asserts): builds a demo-sized store the way `npm start`
// does on an empty data dir (30 days of simulated history through the real ingest path),
// shuts it down cleanly (which writes a navigator checkpoint), then times start-to-ready
// of the runtime REPEATS times each way:
//  - full replay: the checkpoint is ignored, the navigator state is rebuilt from events;
//  - checkpoint: the newest checkpoint is loaded and only the tail is replayed.
// A few hundred events are ingested after the checkpoint so the tail is not empty.
// RESTART_BENCH_DATA_DIR reuses (or keeps) a built store; RESTART_BENCH_DAYS and
// RESTART_BENCH_ORDERS_PER_DAY size it (defaults: the demo's 30 days × 1,500 orders).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config.js'
import { createRuntime, type Runtime } from '../../server/runtime.js'
import type { NavigatorService } from '../../server/navigator-service/service.js'
import { startDemo } from '../../server/sim/demo.js'
import { z } from 'zod'
import { int } from '../../server/store/columns.js'
import { query } from '../../server/store/query.js'
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

async function countEvents(dataDir: string): Promise<number> {
  const { runtime } = await start(dataDir, true)
  try {
    const [{ n }] = await query(runtime.ctx.store.client, { query: benchSql('raw-events-count'), tag: 'bench.restart.count', schema: z.object({ n: int }) })
    return n
  } finally {
    await runtime.close()
  }
}

export async function runRestartBench() {
  const days = Number(process.env.RESTART_BENCH_DAYS ?? 30)
  const ordersPerDay = Number(process.env.RESTART_BENCH_ORDERS_PER_DAY ?? 1_500)
  const keep = process.env.RESTART_BENCH_DATA_DIR
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'revnav-restart-bench-'))
  try {
    const build = existsSync(join(dataDir, 'clickhouse')) ? { events: await countEvents(dataDir), ms: 0, reused: true } : await buildDemoStore(dataDir, days, ordersPerDay)
    console.error(`store: ${build.events} events (built in ${Math.round(build.ms)} ms)`)

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
      storeEvents: build.events,
      storeBuildMs: Math.round(build.ms),
      repeats: REPEATS,
      fullReplay: { medianMs: Math.round(median(full)), runsMs: full.map((x) => Math.round(x)), restored: fullRestored },
      checkpoint: { medianMs: Math.round(median(fromCheckpoint)), runsMs: fromCheckpoint.map((x) => Math.round(x)), restored },
      speedup: round(median(full) / median(fromCheckpoint), 1),
    }
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runRestartBench(), null, 2))
}
