// Moves a SimWorld's events to a server and the server's decisions back into the world.
// Transport-agnostic: the in-process demo and the HTTP CLI each supply a `send`. A batch
// that was not acknowledged is retried as it is (event ids make that idempotent) until
// it is, or until the driver is stopped; only a FatalSendError reaches the caller.
import type { Event } from '../contracts/events.js'
import type { SimWorld } from './world.js'

/** What an ingest answer says about one event (the shape of POST /api/v1/events results). */
export interface SentResult {
  index: number
  status: 'accepted' | 'duplicate' | 'rejected'
  errors?: { path: string; message: string }[]
  decisions?: {
    lineIndex: number
    resolution: string
    inboundMode: string
    receivingNodeId: string | null
    exchangeSourceNodeId: string | null
    disposition: string
  }[]
}
export interface SendOutcome { accepted: number; duplicates: number; rejected: number; results: SentResult[] }

/** The server asked us to wait (HTTP 503 + Retry-After, or the writer's OverloadedError). */
export class Backpressure extends Error {
  constructor(readonly retryAfterMs: number, message = 'server overloaded') {
    super(message)
  }
}

/** An answer that no retry can change (a bad key, a wrong role): the run stops. */
export class FatalSendError extends Error {}

export type Sender = (events: Event[]) => Promise<SendOutcome>

export interface DriverLog {
  warn(message: string): void
}

export interface DriverOptions {
  /** Events per request (the brief's ~1,000). */
  batchSize?: number
  /**
   * Simulated time one batch may span. Follow-ups of a request can only be scheduled
   * once its decision is back, so a long span delays the first lifecycle step.
   */
  maxSpanMs?: number
  /** Longest wait between retries of a failing (not overloaded) send. */
  maxBackoffMs?: number
  log?: DriverLog
}

export interface DriverStats {
  batches: number
  sent: number
  accepted: number
  duplicates: number
  rejected: number
  decisions: number
  retries: number
  /** occurredAt of the last event sent. */
  simTime: string | null
}

export class SimDriver {
  readonly stats: DriverStats = { batches: 0, sent: 0, accepted: 0, duplicates: 0, rejected: 0, decisions: 0, retries: 0, simTime: null }
  private stopping = false
  private readonly abort = new AbortController()
  private readonly batchSize: number
  private readonly maxSpanMs: number
  private readonly maxBackoffMs: number
  private reportedRejections = 0

  constructor(readonly world: SimWorld, private readonly send: Sender, private readonly opts: DriverOptions = {}) {
    this.batchSize = opts.batchSize ?? 1_000
    this.maxSpanMs = opts.maxSpanMs ?? Infinity
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000
  }

  get stopped(): boolean {
    return this.stopping
  }

  /** Ends retries and sleeps at once; a send already in flight completes. */
  stop(): void {
    this.stopping = true
    this.abort.abort()
  }

  /** Send every event due by `untilMs`; answers when done or stopped. */
  async pump(untilMs: number): Promise<void> {
    while (!this.stopping) {
      const batch = this.world.take(untilMs, this.batchSize, this.maxSpanMs)
      if (batch.length === 0) return
      const outcome = await this.sendUntilAcknowledged(batch)
      if (!outcome) return
      this.apply(batch, outcome)
    }
  }

  /** Wait, unless the driver is stopped first. */
  sleep(ms: number): Promise<void> {
    return sleep(ms, this.abort.signal)
  }

  private async sendUntilAcknowledged(batch: Event[]): Promise<SendOutcome | undefined> {
    let failures = 0
    while (!this.stopping) {
      try {
        return await this.send(batch)
      } catch (error) {
        if (error instanceof FatalSendError) throw error
        this.stats.retries++
        let waitMs: number
        if (error instanceof Backpressure) {
          waitMs = error.retryAfterMs
        } else {
          failures++
          waitMs = Math.min(this.maxBackoffMs, 500 * 2 ** Math.min(failures, 10))
        }
        if (this.stats.retries === 1 || this.stats.retries % 20 === 0 || !(error instanceof Backpressure)) {
          this.opts.log?.warn(`sim: batch of ${batch.length} not acknowledged (${(error as Error).message}); retrying in ${Math.round(waitMs)} ms`)
        }
        await this.sleep(waitMs)
      }
    }
    return undefined
  }

  private apply(batch: Event[], outcome: SendOutcome): void {
    const s = this.stats
    s.batches++
    s.sent += batch.length
    s.accepted += outcome.accepted
    s.duplicates += outcome.duplicates
    s.rejected += outcome.rejected
    s.simTime = batch[batch.length - 1].occurredAt
    for (const result of outcome.results) {
      const event = batch[result.index]
      if (!event) continue
      if (result.status === 'rejected' && this.reportedRejections++ < 5) {
        // The world only produces valid events: a rejection means the contracts and the
        // simulator disagree, which someone should see.
        this.opts.log?.warn(`sim: event ${event.eventId} (${event.type}) rejected: ${JSON.stringify(result.errors ?? []).slice(0, 300)}`)
      }
      if (event.type !== 'return.requested') continue
      const decisions = result.status === 'accepted' ? result.decisions ?? [] : []
      if (decisions.length === 0) {
        this.world.onNoDecision(event.rmaId)
        continue
      }
      s.decisions += decisions.length
      for (const d of decisions) this.world.onDecision(event.rmaId, d.lineIndex, d)
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, ms))
    signal?.addEventListener('abort', done, { once: true })
  })
}
