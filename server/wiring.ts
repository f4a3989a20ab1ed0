// Production wiring: which router, routes and background jobs the server runs.
// Kept apart from runtime.ts so tests can pick parts.
import { startPipelines } from '../pipelines/scheduler.js'
import type { AppContext } from './http/context.js'
import { analyticsRoutes } from './http/routes/analytics.js'
import { networkRoutes } from './http/routes/network.js'
import { returnRoutes } from './http/routes/returns.js'
import { taskRoutes } from './http/routes/tasks.js'
import { webhookRoutes } from './http/routes/webhooks.js'
import { weightsRoutes } from './http/routes/weights.js'
import type { DurableBatch } from './ingest/ingest.js'
import { createNavigatorService, type NavigatorService } from './routing/service.js'
import { startDemo } from './sim/demo.js'
import { publishPlans } from './tasks/live.js'
import { taskServiceFor } from './tasks/service.js'
import { webhooksFor } from './webhooks/service.js'
import type { RouteModule } from './http/app.js'
import type { RuntimeHooks } from './runtime.js'

/** Live updates go out here, after the batch is durable. */
export function publishDurable(ctx: AppContext, batch: DurableBatch): void {
  for (const { decision } of batch.decisions) {
    ctx.live.publish('decisions', decision)
    ctx.live.publish(`rma:${decision.rmaId}`, { kind: 'decision', decision })
  }
  for (const event of batch.events) {
    if (event.type === 'return.status' || event.type === 'return.inspected') {
      ctx.live.publish(`rma:${event.rmaId}`, { kind: event.type === 'return.status' ? 'status' : 'inspection', event })
    }
  }
  publishPlans(ctx.live, batch)
  webhooksFor(ctx).onDurable(batch)
}

/** Routes that need the navigator service, registered once it exists. */
function navigatorRoutes(get: () => NavigatorService): RouteModule {
  return async (app, ctx, guard) => {
    const service = get()
    await weightsRoutes({ weights: service.weights, preview: service.preview })(app, ctx, guard)
    await networkRoutes(service, (batch) => publishDurable(ctx, batch))(app, ctx, guard)
  }
}

export interface ProductionHooks extends RuntimeHooks {
  /** The navigator service once the runtime has built it. */
  navigator(): NavigatorService
}

export function productionHooks(): ProductionHooks {
  let service: NavigatorService | undefined
  const get = () => {
    if (!service) throw new Error('navigator service not built yet')
    return service
  }
  return {
    router: async (ctx) => {
      service = await createNavigatorService(ctx.config, ctx.store.client)
      return service.router
    },
    routes: [navigatorRoutes(get), returnRoutes, analyticsRoutes, taskRoutes, webhookRoutes],
    onStarted: async (ctx) => {
      const webhooks = webhooksFor(ctx)
      await webhooks.start()
      taskServiceFor(ctx).listeners.push((task) => webhooks.onTaskChanged(task))
      const stopPipelines = startPipelines(ctx)
      // Demo stream on an empty store (DEMO=0 turns it off); stopped before the pipelines.
      const demo = await startDemo(ctx, get().network)
      return async () => { await demo.stop(); await stopPipelines(); await webhooks.stop() }
    },
    onDurable: publishDurable,
    navigator: get,
  }
}
