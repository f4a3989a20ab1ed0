// The demo stream of `npm start`: on a store that holds nothing but demo events it fills
// ~30 days of history at once (so the dashboard has trends, reasons and an anomaly to
// show), then keeps a gentle live stream going with compressed lifecycles. It steps aside
// for good when real events arrive (the events route calls ctx.demo.stop()).
import type { AppContext } from '../app-context.js'
import type { Network } from '../navigator/network.js'
import { OverloadedError } from '../store/writer.js'
import { namedQuery, query } from '../store/query.js'
import { Backpressure, SimDriver, type Sender } from './driver.js'
import { backfillThenLive, warmupMs } from './phases.js'
import { hashSeed } from './random.js'
import { SimWorld } from './world.js'
import { z } from 'zod'

const DAY = 86_400_000
export const DEMO_PREFIX = 'demo'

export interface DemoOptions {
  /** Overrides config.DEMO. */
  enabled?: boolean
  /** Return requests per minute once live; default config.DEMO_RATE_PER_MIN. */
  ratePerMin?: number
  /** History filled on an empty store. */
  backfillDays?: number
  backfillOrdersPerDay?: number
  /** Delay compression once live: 360 turns a 4-day return into ~16 minutes. */
  liveSpeedup?: number
  batchSize?: number
  /** How often the live stream catches up with the clock. */
  tickMs?: number
  seed?: number
  now?: () => number
  log?: Pick<Console, 'info' | 'warn' | 'error'>
}

export interface DemoHandle {
  stop(): Promise<void>
  /** Settles when the stream has ended (stopped, or finished a bounded run). */
  readonly done: Promise<void>
  readonly driver?: SimDriver
  /** 'off' when it decided not to run. */
  readonly mode: 'off' | 'backfill+live' | 'live'
}

const StoreCountsRow = z.object({ total: z.coerce.number(), foreign: z.coerce.number() })

/** Events in the store, and how many of them are not the demo's own. */
export async function storeEventCounts(ctx: Pick<AppContext, 'store'>): Promise<{ total: number; foreign: number }> {
  const [row] = await query(ctx.store.client, {
    query: namedQuery('demo-store-counts'), params: { prefix: `${DEMO_PREFIX}-` }, tag: 'demo.store-counts', schema: StoreCountsRow,
  })
  return { total: row?.total ?? 0, foreign: row?.foreign ?? 0 }
}

/** In-process transport: the same ingestion path as HTTP, without the network hop. */
export function ingestorSender(ctx: Pick<AppContext, 'ingestor'>): Sender {
  return async (events) => {
    try {
      return await ctx.ingestor.ingest(events.map((value) => ({ ok: true as const, value })))
    } catch (error) {
      if (error instanceof OverloadedError) throw new Backpressure(error.retryAfterSeconds * 1000)
      throw error
    }
  }
}

export async function startDemo(ctx: AppContext, network: Network, opts: DemoOptions = {}): Promise<DemoHandle> {
  const log = opts.log ?? console
  const off: DemoHandle = { stop: async () => {}, done: Promise.resolve(), mode: 'off' }
  if (!(opts.enabled ?? ctx.config.DEMO)) return off
  let counts
  try {
    counts = await storeEventCounts(ctx)
  } catch (error) {
    log.error('demo: could not read the store; demo stream not started', error)
    return off
  }
  if (counts.foreign > 0) return off

  const now = opts.now ?? Date.now
  const startMs = now()
  const backfill = counts.total === 0
  const backfillDays = opts.backfillDays ?? 30
  // A restart over a demo store continues with a new seed and a run id holding the start
  // time, so its ids cannot collide with the previous run's.
  const seed = opts.seed ?? hashSeed(DEMO_PREFIX, startMs)
  const liveSpeedup = opts.liveSpeedup ?? 360
  const worldStartMs = backfill ? startMs - backfillDays * DAY : startMs - warmupMs(liveSpeedup)
  const world = new SimWorld(network, {
    seed,
    startMs: worldStartMs,
    ordersPerDay: opts.backfillOrdersPerDay ?? 1_500,
    lifecycleSpeedup: backfill ? 1 : liveSpeedup,
    idPrefix: DEMO_PREFIX,
    // Catalog and stock are already in a demo store; the navigator restored them.
    emitSetup: backfill,
    // The defect spike covers the last 7 simulated days of the history, then goes on.
    defect: { fromMs: backfill ? startMs - 7 * DAY : worldStartMs },
  })
  const liveOrdersPerDay = ((opts.ratePerMin ?? ctx.config.DEMO_RATE_PER_MIN) * 1440) / world.expectedReturnsPerOrder()
  if (!backfill) world.setPace({ ordersPerDay: liveOrdersPerDay }, worldStartMs)
  const driver = new SimDriver(world, ingestorSender(ctx), {
    batchSize: opts.batchSize ?? 1_000,
    // Six simulated hours per batch at most: follow-ups wait for their request's
    // decision, so this bounds how late a first lifecycle step (the label) can be, while
    // keeping batches large (each durable insert costs tens of ms whatever its size).
    maxSpanMs: 6 * 3_600_000,
    log,
  })

  const t0 = performance.now()
  if (backfill) log.info(`demo: filling ${backfillDays} days of history (run ${world.runId})`)
  const run = () => backfillThenLive(driver, {
    backfillUntilMs: backfill ? startMs : undefined,
    liveOrdersPerDay,
    liveSpeedup,
    tickMs: opts.tickMs ?? 1_000,
    now,
    onLive: () => log.info(backfill
      ? `demo: history filled — ${driver.stats.accepted} events, ${driver.stats.decisions} decisions in ${Math.round(performance.now() - t0)} ms; going live`
      : `demo: continuing the demo store live (run ${world.runId})`),
  })
  const done = run().catch((error) => {
    // The demo must never take the server down with it.
    log.error('demo: stream failed and stopped', error)
  }).finally(() => {
    ctx.demo.active = false
  })

  let stopping: Promise<void> | undefined
  const stop = () => (stopping ??= (async () => {
    ctx.demo.active = false
    driver.stop()
    await done
  })())
  ctx.demo.active = true
  ctx.demo.stop = () => void stop()
  return { stop, done, driver, mode: backfill ? 'backfill+live' : 'live' }
}
