// One bounded simulation against a server over HTTP: pick the network, optionally fill
// history, then stream live until the duration is up. The CLI wraps this; tests call it
// in-process.
import { DEMO_NETWORK_PATH, readNetworkFile } from '../network/network-file.js'
import type { Network } from '../navigator/network.js'
import { SimDriver, type DriverLog, type DriverStats } from './driver.js'
import { httpSender } from './http-sender.js'
import { backfillThenLive, warmupMs } from './phases.js'
import { hashSeed } from './random.js'
import { networkForSim, type SimNetwork } from './remote-network.js'
import { SimWorld, type WorldStats } from './world.js'

const DAY = 86_400_000


export interface SimulationOptions {
  url: string
  key: string
  /** Return requests per minute in the live phase, as a daily mean (orders in proportion). */
  ratePerMin: number
  /** Keep the rate flat instead of following the hour of day. */
  flat?: boolean
  /** Wall-clock bound of the whole run, backfill included. */
  durationS: number
  seed?: number
  /** Days of history to send first (0: live only). */
  backfillDays?: number
  backfillOrdersPerDay?: number
  /** Delay compression in the live phase. */
  speedup?: number
  batchSize?: number
  tickMs?: number
  /** Event id prefix; not 'demo', so a server treats these as real events. */
  idPrefix?: string
  /** Send the catalog and the stock of every exchange node first. */
  emitSetup?: boolean
  /** Use this network instead of asking the server / reading the file. */
  network?: Network
  /** Local network file under the server's published nodes and catalog. */
  networkFile?: string
  onProgress?: (p: SimulationProgress) => void
  progressEveryMs?: number
  log?: DriverLog
  now?: () => number
}

export interface SimulationProgress extends DriverStats {
  elapsedMs: number
  eventsPerSecond: number
  openReturns: number
  phase: 'backfill' | 'live'
}

export interface SimulationSummary extends SimulationProgress {
  runId: string
  network: { source: SimNetwork['source'] | 'given'; notes: string[] }
  world: WorldStats
  /** Set when the run ended on an answer no retry could fix. */
  error?: string
}

/** The server's network when it publishes one that fits, else the local file. */
export async function loadSimNetwork(url: string, key: string, networkFile?: string): Promise<SimNetwork> {
  const local = (await readNetworkFile(networkFile ?? DEMO_NETWORK_PATH)).file
  let remote: unknown
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}/api/v1/network?include=catalog`, {
      headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(15_000),
    })
    // An ingest-only key may not read the network (403): fall back to the file.
    if (res.ok) remote = await res.json()
  } catch {
    remote = undefined
  }
  return networkForSim(local, remote)
}

export async function runSimulation(opts: SimulationOptions): Promise<SimulationSummary> {
  const now = opts.now ?? Date.now
  const sim = opts.network
    ? { network: opts.network, source: 'given' as const, notes: [] }
    : await loadSimNetwork(opts.url, opts.key, opts.networkFile)
  const startMs = now()
  const backfillDays = opts.backfillDays ?? 0
  const speedup = opts.speedup ?? 360
  const worldStartMs = backfillDays > 0 ? startMs - backfillDays * DAY : startMs - warmupMs(speedup)
  const world = new SimWorld(sim.network, {
    seed: opts.seed ?? hashSeed('sim', startMs),
    startMs: worldStartMs,
    ordersPerDay: opts.backfillOrdersPerDay ?? 1_500,
    lifecycleSpeedup: backfillDays > 0 ? 1 : speedup,
    idPrefix: opts.idPrefix ?? 'sim',
    seasonality: !opts.flat,
    emitSetup: opts.emitSetup ?? true,
    defect: { fromMs: backfillDays > 0 ? startMs - Math.min(7, backfillDays) * DAY : worldStartMs },
  })
  const liveOrdersPerDay = (opts.ratePerMin * 1440) / world.expectedReturnsPerOrder()
  if (backfillDays <= 0) world.setPace({ ordersPerDay: liveOrdersPerDay }, worldStartMs)
  const driver = new SimDriver(world, httpSender({ url: opts.url, key: opts.key }), {
    batchSize: opts.batchSize ?? 1_000,
    maxSpanMs: 6 * 3_600_000,
    log: opts.log,
  })

  const t0 = performance.now()
  let phase: SimulationProgress['phase'] = backfillDays > 0 ? 'backfill' : 'live'
  let last = { at: t0, sent: 0 }
  const progress = (): SimulationProgress => {
    const at = performance.now()
    const eventsPerSecond = at > last.at ? ((driver.stats.sent - last.sent) * 1000) / (at - last.at) : 0
    last = { at, sent: driver.stats.sent }
    return { ...driver.stats, elapsedMs: Math.round(at - t0), eventsPerSecond: Math.round(eventsPerSecond), openReturns: world.openReturns, phase }
  }
  const ticker = opts.onProgress ? setInterval(() => opts.onProgress!(progress()), opts.progressEveryMs ?? 1_000) : undefined
  const deadline = setTimeout(() => driver.stop(), Math.max(0, opts.durationS * 1000))
  let error: string | undefined
  try {
    await backfillThenLive(driver, {
      backfillUntilMs: backfillDays > 0 ? startMs : undefined,
      liveOrdersPerDay,
      liveSpeedup: speedup,
      tickMs: opts.tickMs ?? 1_000,
      now,
      onLive: () => { phase = 'live' },
    })
  } catch (e) {
    error = (e as Error).message
  } finally {
    clearTimeout(deadline)
    if (ticker) clearInterval(ticker)
    driver.stop()
  }
  const elapsedMs = performance.now() - t0
  return {
    ...driver.stats,
    elapsedMs: Math.round(elapsedMs),
    eventsPerSecond: Math.round((driver.stats.sent * 1000) / Math.max(1, elapsedMs)),
    openReturns: world.openReturns,
    phase,
    runId: world.runId,
    network: { source: sim.source, notes: sim.notes },
    world: { ...world.stats },
    ...(error ? { error } : {}),
  }
}
