// Production wiring: which router, routes and background jobs the server runs.
// Kept apart from runtime.ts so tests can pick parts.
import type { AppContext } from './http/context.js'
import type { DurableBatch } from './ingest/ingest.js'
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
}

export function productionHooks(): RuntimeHooks {
  return {
    onDurable: publishDurable,
  }
}
