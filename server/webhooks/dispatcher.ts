// Delivers outbox messages: at least once, in order per return, with exponential
// backoff, recording every attempt durably before the next step.
//
// Messages of one subscription and one return form a lane; a lane sends its head and
// waits for its outcome (delivered, or given up) before the next, so a receiver sees a
// return's events in the order they happened. Lanes run side by side, bounded by a
// global cap on requests in flight. A message is sent only once its outbox row is
// durable, so anything a receiver ever saw is known after a crash. Delivered means a
// 2xx answer; anything else (status, timeout, refused connection) is retried after the
// next delay of the ladder, up to the give-up deadline of its round.
//
// Memory is bounded: past `maxInMemory` queued messages, new ones stay in the outbox
// only (spilled) and are paged back in, oldest first, as the queue drains.
import type { BatchedWriter } from '../store/writer.js'
import { attemptRow, type AttemptRecord, type PendingMessage, type StoredSubscription } from '../store/webhooks-repo.js'
import { ReceiverAgents } from './http-post.js'
import { signatureHeader } from './signature.js'

export interface QueuedMessage extends PendingMessage {
  /** Settles once the outbox row is durable. */
  stored: Promise<void>
}

export interface DispatcherOptions {
  writer: BatchedWriter
  subscription: (id: string) => StoredSubscription | undefined
  /** Secrets that sign a message now (current, and the previous one during a rotation's grace). */
  secretsOf: (s: StoredSubscription, now: Date) => string[]
  /** Pending messages from the outbox, oldest first, none of `exclude`. */
  reload: (limit: number, exclude: Set<string>) => Promise<PendingMessage[]>
  onAttempt?: (record: AttemptRecord) => void
  now?: () => Date
  /** Delay before retry n (1-based) is retryDelaysMs[n-1], the last one repeating. */
  retryDelaysMs: number[]
  giveUpAfterMs: number
  timeoutMs: number
  concurrency: number
  maxInMemory: number
}

interface Lane { key: string; queue: QueuedMessage[]; running: boolean; timer: NodeJS.Timeout | null }

const USER_AGENT = 'revnav-webhooks/1'

export class WebhookDispatcher {
  private readonly lanes = new Map<string, Lane>()
  private readonly inMemory = new Set<string>()
  /**
   * Messages finished (delivered or given up) most recently, oldest first. Their attempt
   * record may not be durable yet when a page-in reads the outbox, which would then see
   * them as pending: they are left out of every page-in.
   */
  private readonly recentlyFinished = new Set<string>()
  private spilled = false
  private spilledWrites = new Set<Promise<void>>()
  private reloading: Promise<void> | null = null
  private inFlight = 0
  private readonly slotWaiters: (() => void)[] = []
  private readonly aborts = new Set<AbortController>()
  private readonly running = new Set<Promise<void>>()
  private stopped = false
  private readonly now: () => Date
  private readonly agents: ReceiverAgents

  constructor(private readonly opts: DispatcherOptions) {
    this.now = opts.now ?? (() => new Date())
    this.agents = new ReceiverAgents(opts.concurrency)
  }

  get queued(): number { return this.inMemory.size }

  /** Queues a message (its outbox write under way, see `stored`). Order of calls = order per lane. */
  enqueue(m: QueuedMessage): void {
    if (this.stopped || this.inMemory.has(m.msgId)) return
    if (this.spilled || this.inMemory.size >= this.opts.maxInMemory) {
      this.spilled = true
      const write = m.stored.catch(() => undefined)
      this.spilledWrites.add(write)
      void write.then(() => this.spilledWrites.delete(write))
      return
    }
    this.push(m)
  }

  private push(m: QueuedMessage): void {
    this.inMemory.add(m.msgId)
    const key = `${m.subscriptionId}\u0000${m.orderKey || m.msgId}`
    let lane = this.lanes.get(key)
    if (!lane) this.lanes.set(key, (lane = { key, queue: [], running: false, timer: null }))
    lane.queue.push(m)
    this.kick(lane)
  }

  /** Lanes of a subscription resume (it was enabled again, or its messages were redelivered). */
  resume(subscriptionId: string): void {
    for (const lane of this.lanes.values()) if (lane.key.startsWith(`${subscriptionId}\u0000`)) this.kick(lane)
  }

  private kick(lane: Lane): void {
    if (this.stopped || lane.running) return
    if (lane.timer) { clearTimeout(lane.timer); lane.timer = null }
    lane.running = true
    const run = this.runLane(lane).finally(() => {
      lane.running = false
      this.running.delete(run)
      if (lane.queue.length === 0 && !lane.timer) this.lanes.delete(lane.key)
    })
    this.running.add(run)
  }

  private finished(msgId: string): void {
    this.recentlyFinished.delete(msgId)
    this.recentlyFinished.add(msgId)
    // Far more than a page-in can overlap with: records are durable within a flush.
    const cap = 2 * this.opts.maxInMemory + 1_000
    for (const old of this.recentlyFinished) {
      if (this.recentlyFinished.size <= cap) break
      this.recentlyFinished.delete(old)
    }
  }

  private drop(lane: Lane): void {
    const m = lane.queue.shift()!
    this.inMemory.delete(m.msgId)
    if (this.spilled && this.inMemory.size <= this.opts.maxInMemory / 2) void this.pageIn()
  }

  private async runLane(lane: Lane): Promise<void> {
    while (!this.stopped && lane.queue.length > 0) {
      const m = lane.queue[0]
      const sub = this.opts.subscription(m.subscriptionId)
      if (!sub) { this.drop(lane); continue } // deleted: its messages go with it
      if (!sub.enabled) return // resume() picks the lane up again
      const wait = (m.nextAt?.getTime() ?? 0) - this.now().getTime()
      if (wait > 0) {
        lane.timer = setTimeout(() => { lane.timer = null; this.kick(lane) }, wait)
        return
      }
      try {
        await m.stored
      } catch {
        // Not in the outbox: a receiver must never see what a restart would not know.
        // Left at the head, tried again after the first retry delay.
        m.nextAt = new Date(this.now().getTime() + this.opts.retryDelaysMs[0])
        continue
      }
      await this.slot()
      let record: AttemptRecord
      try {
        if (this.stopped) return
        record = await this.attempt(m, sub)
      } finally {
        this.release()
      }
      // Recorded without waiting: the lane's next message need not wait for the store.
      // Until the record is durable a crash means this message is sent again after the
      // restart (at least once, the receiver dedupes by webhook-id); a shutdown drains
      // the writer, so a restart repeats nothing.
      this.record(record)
      this.opts.onAttempt?.(record)
      if (record.outcome === 'retry') {
        m.attempts = record.attempt
        m.nextAt = record.nextAttemptAt
      } else {
        this.finished(m.msgId)
        this.drop(lane)
      }
    }
  }

  private async attempt(m: QueuedMessage, sub: StoredSubscription): Promise<AttemptRecord> {
    const startedAt = this.now()
    const timestamp = Math.floor(startedAt.getTime() / 1000)
    const abort = new AbortController()
    this.aborts.add(abort)
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs)
    const t0 = performance.now()
    let statusCode = 0
    let error = ''
    try {
      const res = await this.agents.post(sub.url, {
        'content-type': 'application/json', 'user-agent': USER_AGENT,
        'webhook-id': m.msgId, 'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(this.opts.secretsOf(sub, startedAt), m.msgId, timestamp, m.body),
      }, m.body, abort.signal)
      statusCode = res.statusCode
      if (statusCode < 200 || statusCode >= 300) error = `answered ${statusCode}`
    } catch (e) {
      error = abort.signal.aborted ? String((abort.signal.reason as Error)?.message ?? 'aborted') : (e as Error).message || String(e)
    } finally {
      clearTimeout(timer)
      this.aborts.delete(abort)
    }
    const latencyMs = performance.now() - t0
    const attempt = m.attempts + 1
    const base = { msgId: m.msgId, subscriptionId: m.subscriptionId, attempt, at: startedAt, statusCode, latencyMs, error, roundStartedAt: m.roundStartedAt }
    if (!error) return { ...base, outcome: 'delivered' }
    const now = this.now().getTime()
    const deadline = m.roundStartedAt.getTime() + this.opts.giveUpAfterMs
    if (now >= deadline) return { ...base, outcome: 'failed' }
    const delays = this.opts.retryDelaysMs
    const delay = delays[Math.min(attempt - 1, delays.length - 1)]
    return { ...base, outcome: 'retry', nextAttemptAt: new Date(Math.min(now + delay, deadline)) }
  }

  private record(record: AttemptRecord): void {
    try {
      this.opts.writer.write('webhook_attempts', [attemptRow(record)]).catch(() => undefined)
    } catch {
      // Writer over its bound or closed: as above, the message may be sent again after a restart.
    }
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) { this.inFlight++; return Promise.resolve() }
    return new Promise((resolve) => this.slotWaiters.push(() => { this.inFlight++; resolve() }))
  }

  private release(): void {
    this.inFlight--
    this.slotWaiters.shift()?.()
  }

  /** Spilled messages back from the outbox, oldest first, once every spilled write is durable. */
  private pageIn(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        while (this.spilledWrites.size > 0) await Promise.all([...this.spilledWrites])
        const room = this.opts.maxInMemory - this.inMemory.size
        const before = this.spilledWrites.size
        const loaded = await this.opts.reload(room, new Set([...this.inMemory, ...this.recentlyFinished]))
        for (const m of loaded) this.push({ ...m, stored: Promise.resolve() })
        // Everything spilled is back unless the page was full or more spilled meanwhile.
        if (loaded.length < room && this.spilledWrites.size === before) this.spilled = false
      } catch {
        // Next drained message tries again.
      } finally {
        this.reloading = null
        // Nothing may be left to drain that would call again: poll until all is back.
        if (this.spilled && !this.stopped && this.inMemory.size <= this.opts.maxInMemory / 2) {
          setTimeout(() => { if (!this.stopped) void this.pageIn() }, 1000).unref()
        }
      }
    })()
    return this.reloading
  }

  /** Stops sending; requests in flight are cut (their messages go again after a restart) and recorded. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const lane of this.lanes.values()) if (lane.timer) { clearTimeout(lane.timer); lane.timer = null }
    for (const a of this.aborts) a.abort(new Error('server shutting down'))
    for (const w of this.slotWaiters.splice(0)) w()
    await Promise.allSettled([...this.running])
    await this.reloading?.catch(() => undefined)
    this.agents.destroy()
  }
}
