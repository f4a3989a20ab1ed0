// The composition root: assembles the running system from a Config, in the order a reader
// can follow — store → migrations → navigator state → ingest → http + live → pipelines and
// the demo stream — and takes it down in reverse. main.ts and the integration tests both
// build it here, so tests run the real thing; options only leave parts out.
import type { FastifyInstance } from 'fastify'
import { BID_PRICES_JOB, bidPricesJob } from '../pipelines/bid-prices.job.js'
import { ALL_JOBS } from '../pipelines/jobs.js'
import { PipelineScheduler } from '../pipelines/scheduler.js'
import type { AppContext } from './app-context.js'
import { KeyRing, resolveApiKeys, type ApiKey } from './auth/keys.js'
import type { Config } from './config.js'
import { buildApp } from './http/app.js'
import type { RouteModule } from './http/context.js'
import { analyticsRoutes } from './http/routes/analytics.js'
import { backtestRoutes } from './http/routes/backtest.js'
import { capacityRoutes } from './http/routes/capacity.js'
import { networkRoutes } from './http/routes/network.js'
import { offerRoutes } from './http/routes/offers.js'
import { returnRoutes } from './http/routes/returns.js'
import { taskRoutes } from './http/routes/tasks.js'
import { webhookRoutes } from './http/routes/webhooks.js'
import { weightsRoutes } from './http/routes/weights.js'
import { EventDeduper } from './ingest/dedupe.js'
import { Ingestor, type DurableBatch } from './ingest/ingest.js'
import { OrphanRollbacks } from './ingest/orphan-rollback.js'
import { noDecisionRouter, type EventRouter } from './ingest/router.js'
import { LiveFeed, type LiveEntry } from './live/feed.js'
import { LiveHub } from './live/hub.js'
import { attachLive } from './live/socket.js'
import { createMetrics } from './metrics.js'
import { createNavigatorService, type NavigatorService, type NavigatorServiceOptions } from './navigator-service/service.js'
import { startDemo, type DemoHandle } from './sim/demo.js'
import { openStore } from './store/client.js'
import { migrate } from './store/migrate.js'
import { orphansAfter, orphanSearchStart } from './store/orphans-repo.js'
import { BatchedWriter } from './store/writer.js'
import { planMessages, publishTaskChange } from './tasks/live.js'
import { TaskService } from './tasks/service.js'
import { StreamTaskCloser } from './tasks/stream-closer.js'
import { WebhookService } from './webhooks/service.js'

/** How long a capacity change waits for the bid prices of the new capacity (the LP's time limit is 10 s a stage). */
const REPRICE_WAIT_MS = 20_000

export interface RuntimeOptions {
  /**
   * Decide return lines with the navigator (default). Off, events are stored undecided
   * and the routes that need the navigator (weights, network) are not served: the ingest
   * bench's baseline, and tests of the layers below the navigator.
   */
  navigator?: boolean
  /** How the navigator's state is restored and checkpointed (tests pick these). */
  navigatorOptions?: NavigatorServiceOptions
  /** Wraps the navigator's router: tests watch what it routes, and when. */
  watchRouter?: (router: EventRouter) => EventRouter
  /**
   * Publish live updates (default). Off for a process that serves no one, an import
   * into a data directory: nobody can subscribe to its rooms, and each room's backlog
   * kept its last decisions alive, which the garbage collector then copied and marked.
   */
  live?: boolean
}

export interface Runtime {
  app: FastifyInstance
  ctx: AppContext
  keys: ApiKey[]
  keysGenerated: boolean
  io: ReturnType<typeof attachLive>['io']
  /** The navigator's stateful service; null when built without it. */
  navigator: NavigatorService | null
  /** The analytics jobs: always built (manual runs), scheduled only with PIPELINES=1. */
  scheduler: PipelineScheduler
  /** The team's work: task status changes, which become events in the stream. */
  tasks: TaskService
  /** Signed deliveries of decisions, tasks and statuses to the shop's systems. */
  webhooks: WebhookService
  /** Moves the tasks that stream events (return.status, return.inspected) finish. */
  streamTasks: StreamTaskCloser
  /** Rollbacks of decisions left without their event. */
  orphans: OrphanRollbacks
  /** Stops accepting, drains the writer, closes the store. */
  close(): Promise<void>
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const { keys, generated } = resolveApiKeys(config.API_KEYS, config.DATA_DIR)
  const store = await openStore(config)
  await migrate(store.client)
  const metrics = createMetrics()
  const writer = new BatchedWriter(store.rows, {
    batchSize: config.WRITER_BATCH_SIZE,
    flushMs: config.WRITER_FLUSH_MS,
    maxQueuedRows: config.WRITER_MAX_QUEUED_ROWS,
    onFlush: metrics.flushed,
  })
  const deduper = new EventDeduper(store.client)
  await deduper.load()
  const live = new LiveHub()
  // A batch's live messages go out a slice at a time, after the producer's answer.
  const feed = new LiveFeed(live, config.INGEST_SLICE_MS)

  // The navigator's state is restored from the store before the first event is taken.
  const navigator = options.navigator === false ? null : await createNavigatorService(config, store, options.navigatorOptions)
  const router = navigator ? (options.watchRouter ?? ((r) => r))(navigator.router) : noDecisionRouter
  // Decisions a refused request left behind, and those a crash left between a request's
  // two writes (found from the newest checkpoint's cut on), are rolled back; a producer's
  // retry of their events waits for it. No checkpoint is stored while one is pending.
  // To the console until the server's logger exists (the search on start runs before it).
  const orphanLog = { info: (m: string) => console.info(m), warn: (m: string) => console.warn(m) }
  const orphans = new OrphanRollbacks(store.client, deduper, { log: orphanLog })
  if (navigator) {
    navigator.checkpoints.held = () => orphans.pending > 0
    const cutMs = await orphanSearchStart(store.client)
    void orphans.add(await orphansAfter(store.client, cutMs), cutMs)
  }

  let ready = false
  // Built once ctx exists (both use it); ingest reaches them only through onDurable.
  let webhooks!: WebhookService
  let streamTasks!: StreamTaskCloser
  const ctx: AppContext = {
    config, store, writer, metrics, live,
    keyring: new KeyRing(keys),
    isReady: () => ready,
    demo: { active: false },
    ingestor: new Ingestor({
      writer, deduper, router, metrics,
      sliceMs: config.INGEST_SLICE_MS,
      // The chain's last link: live updates go out once the batch is durable, never before.
      onDurable: (batch) => {
        const byTrigger = new Map<string, number>()
        for (const { decision } of batch.decisions) {
          const trigger = decision.trigger ?? 'requested'
          byTrigger.set(trigger, (byTrigger.get(trigger) ?? 0) + 1)
        }
        for (const [trigger, n] of byTrigger) metrics.decisions.inc({ trigger }, n)
        if (options.live !== false) feed.push(durableMessages(batch))
        // After the producer's acknowledgement is settled, never on its path: a slow
        // receiver never slows ingest (the outbox has its own writer).
        webhooks.onDurable(batch)
        // Tasks finished by what the stream reports (a scanner's "restocked"), matched later.
        streamTasks.onDurable(batch)
      },
      onRouteError: (event, error) => app.log.error({ err: error, eventId: event.eventId }, 'navigator failed; event stored without a decision'),
      onOrphaned: (decisions, receivedAtMs) => orphans.add(decisions, receivedAtMs),
    }),
  }

  // A periodic checkpoint of the navigator waits for a moment without ingest (its snapshot
  // is one synchronous step).
  if (navigator) navigator.checkpoints.busy = () => ctx.ingestor.inFlight > 0
  webhooks = new WebhookService(ctx)
  const tasks = new TaskService(ctx)
  tasks.listeners.push((task) => publishTaskChange(live, task), (task) => webhooks.onTaskChanged(task))
  streamTasks = new StreamTaskCloser(ctx, (task) => { for (const listener of tasks.listeners) listener(task) }, {
    log: { warn: (msg) => app.log.warn(msg), error: (obj, msg) => app.log.error(obj, msg) },
  })

  // bid-prices needs the navigator (its state and weights in force), so it runs only with one.
  const jobs = navigator
    ? [...ALL_JOBS, bidPricesJob({ navigator: () => navigator.navigator, weights: () => navigator.weights.inForce })]
    : ALL_JOBS
  const scheduler = new PipelineScheduler({ client: store.client, live }, jobs)
  const routes: RouteModule[] = [returnRoutes, analyticsRoutes(scheduler), backtestRoutes, taskRoutes(tasks), webhookRoutes(webhooks)]
  if (navigator) {
    routes.push(weightsRoutes({ weights: navigator.weights, preview: navigator.preview }))
    routes.push(capacityRoutes(navigator))
    // A capacity change re-decides returns outside ingestion: its decisions go live the same way.
    // The bid prices are solved again for the new capacity before the displaced plans are
    // re-decided, so they move with the new prices; a failed or slow solve (it is recorded)
    // leaves the prices in force.
    const resolvePrices = async () => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const run = scheduler.runNow(BID_PRICES_JOB, { fresh: true })
        .catch((err) => { app.log.error({ err }, 'bid-prices run after a capacity change failed') })
      await Promise.race([run, new Promise<void>((resolve) => { timer = setTimeout(resolve, REPRICE_WAIT_MS) })])
      clearTimeout(timer)
    }
    routes.push(networkRoutes(navigator, (batch) => feed.push(durableMessages(batch)), resolvePrices))
    routes.push(offerRoutes(navigator))
  }
  const app = await buildApp(ctx, routes)
  orphanLog.info = (m) => app.log.info(m)
  orphanLog.warn = (m) => app.log.warn(m)
  const socket = attachLive(app.server, live, ctx.keyring, { maxRoomsPerSocket: config.LIVE_MAX_ROOMS_PER_SOCKET })

  await webhooks.start()
  if (config.PIPELINES) scheduler.start()
  // Demo stream on an empty store (DEMO=0 turns it off); it steps aside for real events.
  const demo: DemoHandle | null = navigator ? await startDemo(ctx, navigator.network) : null
  ready = true

  let closing: Promise<void> | null = null
  return {
    app, ctx, keys, keysGenerated: generated, io: socket.io, navigator, scheduler, tasks, webhooks, streamTasks, orphans,
    close: () => (closing ??= (async () => {
      ready = false
      await demo?.stop()
      await scheduler.stop()
      await streamTasks.stop()
      await webhooks.stop()
      // A final checkpoint of the navigator's state, so the next start replays only what comes after.
      await navigator?.close()
      await socket.close()
      // close() waits for requests in flight, then for every connection to end; a
      // keep-alive connection that was busy when close began stays open once idle, so
      // idle ones are closed as they appear (in-flight requests still finish).
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50)
      try {
        await app.close()
      } finally {
        clearInterval(sweep)
      }
      await writer.close()
      // A rollback under way finishes; what is still pending is found on the next start.
      orphans.close()
      await orphans.settled()
      await store.close()
    })()),
  }
}

/** Live updates of a durable batch: the decisions feed, each return's own room, the work lists. */
function* durableMessages(batch: DurableBatch): Generator<LiveEntry> {
  for (const { decision } of batch.decisions) {
    yield ['decisions', decision]
    yield [`rma:${decision.rmaId}`, { kind: 'decision', decision }]
  }
  for (const event of batch.events) {
    if (event.type === 'return.status' || event.type === 'return.inspected') {
      yield [`rma:${event.rmaId}`, { kind: event.type === 'return.status' ? 'status' : 'inspection', event }]
    }
  }
  yield* planMessages(batch)
}
