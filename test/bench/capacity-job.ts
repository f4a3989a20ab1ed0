// The bid-prices job's solve over the demo network as `npm start` runs it (figures, never
// asserts): a demo store built the way `npm start` builds it on an empty data dir (30 days
// of history through the real ingest path, then the live stream for a while, so the
// navigator holds the demo's open returns and their bookings), the stream stopped, then
// the job's own steps — the forecast from the 150 newest requests, the two-stage LP over
// 14 days — run REPEATS times in one process. Times are CPU time of the process
// (process.cpuUsage: HiGHS runs on the JS thread, but V8 compiles its WebAssembly on
// background threads, which the first solve of a process pays for), beside the wall clock.
// CAPACITY_BENCH_DEMO_DIR keeps (or reuses) the built store; the as-of time is the
// store's, so a reused store gives the same model.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config.js'
import { createRuntime } from '../../server/runtime.js'
import { startDemo } from '../../server/sim/demo.js'
import { recentReturnRequests } from '../../server/store/returns-repo.js'
import { BID_PRICE_HISTORY, BID_PRICE_HORIZON_DAYS, forecastClasses } from '../../pipelines/bid-prices.job.js'
import { solveBidPrices } from '../../pipelines/price-capacity.js'

const REPEATS = 5
/** How long the live stream runs after the history (compressed lifecycles: open returns come and go). */
const LIVE_MS = 120_000

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
/** CPU time of the JS thread alone (Linux, 10 ms ticks): the process's less V8's background compiling. */
const threadCpuMs = (): number => {
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

function configFor(dataDir: string) {
  return loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO: '0', PIPELINES: '0', API_KEYS: 'admin:capacity-bench-admin-key' })
}

async function buildDemoStore(dataDir: string): Promise<number> {
  const runtime = await createRuntime(configFor(dataDir))
  let live!: () => void
  const wentLive = new Promise<void>((r) => { live = r })
  const demo = await startDemo(runtime.ctx, runtime.navigator!.network, {
    enabled: true,
    log: { info: (m: string) => { if (String(m).includes('going live')) live() }, warn: console.warn, error: console.error },
  })
  await Promise.race([wentLive, demo.done])
  await new Promise((r) => setTimeout(r, LIVE_MS))
  await demo.stop()
  const asOf = Date.now()
  await runtime.close()
  return asOf
}

export async function demoJobSolve() {
  const keep = process.env.CAPACITY_BENCH_DEMO_DIR
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'revnav-capacity-bench-'))
  const asOfFile = join(dataDir, 'capacity-bench-as-of')
  try {
    if (!existsSync(asOfFile)) writeFileSync(asOfFile, String(await buildDemoStore(dataDir)))
    const asOf = Number(readFileSync(asOfFile, 'utf8'))
    const runtime = await createRuntime(configFor(dataDir))
    try {
      const service = runtime.navigator!
      const nav = service.navigator
      const weights = service.weights.inForce
      const requests = await recentReturnRequests(runtime.ctx.store.client, BID_PRICE_HISTORY)
      const runs: Record<string, number | string>[] = []
      for (let i = 0; i < REPEATS; i++) {
        let c = cpuMs()
        const classes = forecastClasses(requests, nav, weights, asOf)
        const forecastCpuMs = cpuMs() - c
        c = cpuMs()
        const th = threadCpuMs()
        const w = performance.now()
        const solved = await solveBidPrices(classes, nav.state, BID_PRICE_HORIZON_DAYS, 10)
        runs.push({
          forecastCpuMs: Math.round(forecastCpuMs), solveCpuMs: Math.round(cpuMs() - c), jsThreadCpuMs: threadCpuMs() - th, solveWallMs: Math.round(performance.now() - w),
          status: solved.status, columns: solved.model.columns.length, rows: solved.model.rowResource.size, prices: solved.prices.size, fallbacks: solved.fallbacks,
          // To compare models: the prices' sum (¥) and the dearest slot.
          priceSum: Math.round([...solved.prices.values()].reduce((a, b) => a + b, 0) * 100) / 100,
          top: [...solved.prices].sort((a, b) => b[1] - a[1]).slice(0, 1).map(([k, v]) => `${k}=${Math.round(v)}`).join(''),
        })
        console.error(JSON.stringify(runs[runs.length - 1]))
      }
      let openReturns = 0
      for (const _ of nav.state.openReturns.entries()) openReturns++
      return { asOf: new Date(asOf).toISOString(), requests: requests.length, openReturns, runs, load: readFileSync('/proc/loadavg', 'utf8').trim() }
    } finally {
      await runtime.close()
    }
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await demoJobSolve(), null, 2))
}
