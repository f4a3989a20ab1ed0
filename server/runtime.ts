// Assembles the running system from a Config: store → migrations → state → http + live.
// Shared by main.ts and the integration tests, so tests run the real thing.
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { buildApp, type RouteModule } from './http/app.js'
import { KeyRing, resolveApiKeys, type ApiKey } from './auth/keys.js'
import type { AppContext } from './http/context.js'
import { createMetrics } from './metrics.js'
import { EventDeduper } from './ingest/dedupe.js'
import { Ingestor, type DurableBatch } from './ingest/ingest.js'
import { noDecisionRouter, type EventRouter } from './ingest/router.js'
import { LiveHub } from './live/hub.js'
import { attachLive } from './live/socket.js'
import { openStore } from './store/client.js'
import { migrate } from './store/migrate.js'
import { BatchedWriter } from './store/writer.js'

export interface Runtime {
  app: FastifyInstance
  ctx: AppContext
  keys: ApiKey[]
  keysGenerated: boolean
  io: ReturnType<typeof attachLive>['io']
  /** Stops accepting, drains the writer, closes the store. */
  close(): Promise<void>
}

export interface RuntimeHooks {
  /** Builds the event router (the navigator) once the store is migrated. */
  router?: (ctx: Omit<AppContext, 'ingestor'>) => Promise<EventRouter> | EventRouter
  routes?: RouteModule[]
  onDurable?: (ctx: AppContext, batch: DurableBatch) => void
  onStarted?: (ctx: AppContext) => Promise<(() => Promise<void>) | void>
}

export async function createRuntime(config: Config, hooks: RuntimeHooks = {}): Promise<Runtime> {
  const { keys, generated } = resolveApiKeys(config.API_KEYS, config.DATA_DIR)
  const store = await openStore(config)
  await migrate(store.client)
  const metrics = createMetrics()
  const writer = new BatchedWriter(store.client, {
    batchSize: config.WRITER_BATCH_SIZE,
    flushMs: config.WRITER_FLUSH_MS,
    maxQueuedRows: config.WRITER_MAX_QUEUED_ROWS,
    onFlush: metrics.flushed,
  })
  const deduper = new EventDeduper(store.client)
  await deduper.load()
  let ready = false
  const base = {
    config, store, writer, metrics,
    keyring: new KeyRing(keys),
    live: new LiveHub(),
    isReady: () => ready,
    demo: { active: false },
  }
  const router = hooks.router ? await hooks.router(base) : noDecisionRouter
  const ctx: AppContext = {
    ...base,
    ingestor: new Ingestor({
      writer, deduper, router, metrics,
      sliceMs: config.INGEST_SLICE_MS,
      onDurable: (batch) => {
        for (const d of batch.decisions) metrics.decisions.inc({ trigger: d.decision.trigger ?? 'requested' })
        hooks.onDurable?.(ctx, batch)
      },
      onRouteError: (event, error) => app.log.error({ err: error, eventId: event.eventId }, 'navigator failed; event stored without a decision'),
    }),
  }
  const app = await buildApp(ctx, hooks.routes)
  const live = attachLive(app.server, ctx.live, ctx.keyring, { maxRoomsPerSocket: config.LIVE_MAX_ROOMS_PER_SOCKET })
  const stopStarted = await hooks.onStarted?.(ctx)
  ready = true

  let closing: Promise<void> | null = null
  return {
    app, ctx, keys, keysGenerated: generated, io: live.io,
    close: () => (closing ??= (async () => {
      ready = false
      if (stopStarted) await stopStarted()
      await live.close()
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
      await store.close()
    })()),
  }
}
