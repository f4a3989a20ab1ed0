// Production wiring: which router, routes and background jobs the server runs.
// Kept apart from runtime.ts so tests can pick parts.
import type { RuntimeHooks } from './runtime.js'

export function productionHooks(): RuntimeHooks {
  return {
    onDurable: (ctx, batch) => {
      for (const record of batch.decisions) ctx.live.publish('decisions', record.decision)
    },
  }
}
