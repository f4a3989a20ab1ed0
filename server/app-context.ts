// The running services every part above the store is handed: built once by the
// composition root (runtime.ts), read by routes, the live layer, the demo stream and the
// pipelines. Types only, from the layers below, so anything may import it.
import type { KeyRing } from './auth/keys.js'
import type { Config } from './config.js'
import type { Ingestor } from './ingest/ingest.js'
import type { LiveHub } from './live/hub.js'
import type { Metrics } from './metrics.js'
import type { StoreClient } from './store/client.js'
import type { BatchedWriter } from './store/writer.js'

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
