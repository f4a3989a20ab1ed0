// What route modules get: the running services. Built once in main.ts (or a test).
import type { Config } from '../config.js'
import type { Role } from '../contracts/enums.js'
import type { Ingestor } from '../ingest/ingest.js'
import type { LiveHub } from '../live/hub.js'
import type { StoreClient } from '../store/client.js'
import type { BatchedWriter } from '../store/writer.js'
import type { KeyRing } from '../auth/keys.js'
import type { Metrics } from '../metrics.js'

export interface AppContext {
  config: Config
  store: StoreClient
  writer: BatchedWriter
  ingestor: Ingestor
  keyring: KeyRing
  metrics: Metrics
  live: LiveHub
  /** True once migrations are applied and state is loaded. */
  isReady: () => boolean
  /** The demo stream: on for an empty store, stopped when real events arrive. */
  demo: { active: boolean; stop?: () => void }
}

/**
 * Route options naming the role a route needs. The key is checked in an onRequest hook
 * (app.ts), before the body is read, so the role must be known from the route alone.
 */
export interface Guard { config: { role: Role } }

declare module 'fastify' {
  interface FastifyRequest { role?: Role }
  interface FastifyContextConfig { role?: Role }
}
