// Webhooks as a server component: the subscriptions (cached, every change stored first),
// the outbox (a message per event and subscribed receiver) and the dispatcher.
//
// Enqueueing happens after durability and off the ingest path: onDurable hands the batch
// over synchronously and returns; the messages are built and their outbox rows written by
// a writer of their own (its queue bound, never the ingest writer's), so neither a slow
// receiver nor the outbox can hold up or refuse an event. What a crash loses is the
// window between an acknowledgement and its outbox write (milliseconds); a restart
// (close() drains) loses nothing.
import { createHash, randomBytes } from 'node:crypto'
import type { AppContext } from '../app-context.js'
import type { TaskView } from '../contracts/tasks.js'
import type { WebhookCreate, WebhookEventType, WebhookSubscriptionView, WebhookUpdate } from '../contracts/webhooks.js'
import type { DurableBatch } from '../ingest/ingest.js'
import { failingSince, getMessage, loadPendingMessages, loadSubscriptions, messageRow, saveSubscription, attemptRow, type AttemptRecord, type OutboxMessage, type StoredSubscription } from '../store/webhooks-repo.js'
import { tasksOfDecisions } from '../store/tasks-repo.js'
import { BatchedWriter } from '../store/writer.js'
import { JsonLines } from '../store/json-lines.js'
import { CpuSlicer } from '../ingest/cpu-slices.js'
import { WebhookDispatcher } from './dispatcher.js'
import { MessageSeq } from './message-seq.js'
import { newSecret } from './signature.js'
import { anomalyRaised, eventsOfBatch, taskUpdated, type WebhookEvent } from './sources.js'

/** The Standard Webhooks ladder after the first retry, as multiples of it. */
const LADDER = [1, 60, 360, 1_440, 3_600, 7_200]
/** A rotated-out secret keeps signing this long, so receivers can switch without a gap. */
const ROTATION_GRACE_MS = 24 * 3_600_000

export class SubscriptionNotFoundError extends Error {}

export function viewOf(s: StoredSubscription): WebhookSubscriptionView {
  return {
    id: s.id, url: s.url, events: s.events, ...(s.description ? { description: s.description } : {}), enabled: s.enabled,
    ...(s.disabledReason ? { disabledReason: s.disabledReason } : {}),
    createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
  }
}

export class WebhookService {
  private readonly subs = new Map<string, StoredSubscription>()
  private readonly failing = new Map<string, Date>()
  private readonly writer: BatchedWriter
  private readonly dispatcher: WebhookDispatcher
  private readonly seq = new MessageSeq()
  private started = false
  private unsubscribeAlerts: (() => void) | null = null
  private readonly pending = new Set<Promise<unknown>>()
  /** The batch of messages being built; the next waits for it. */
  private building: Promise<void> = Promise.resolve()
  private readonly giveUpMs: number

  constructor(private readonly ctx: AppContext, private readonly now: () => Date = () => new Date()) {
    const c = ctx.config
    this.giveUpMs = c.WEBHOOK_GIVE_UP_MS
    this.writer = new BatchedWriter(ctx.store.rows, { batchSize: 5_000, flushMs: 20, maxQueuedRows: 200_000 })
    this.dispatcher = new WebhookDispatcher({
      writer: this.writer,
      subscription: (id) => this.subs.get(id),
      secretsOf: (s, at) => (s.previousSecret && at.getTime() - s.rotatedAt.getTime() < ROTATION_GRACE_MS ? [s.secret, s.previousSecret] : [s.secret]),
      reload: async (limit, exclude) => (await loadPendingMessages(ctx.store.client, limit + exclude.size)).filter((m) => !exclude.has(m.msgId)).slice(0, limit),
      onAttempt: (r) => this.noteAttempt(r),
      now,
      retryDelaysMs: LADDER.map((k) => k * c.WEBHOOK_FIRST_RETRY_MS),
      giveUpAfterMs: c.WEBHOOK_GIVE_UP_MS,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      concurrency: c.WEBHOOK_CONCURRENCY,
      maxInMemory: c.WEBHOOK_MAX_QUEUED,
    })
  }

  /** Loads subscriptions and what is still to deliver, then starts delivering. */
  async start(): Promise<void> {
    const client = this.ctx.store.client
    for (const s of await loadSubscriptions(client)) this.subs.set(s.id, s)
    for (const [id, since] of await failingSince(client)) this.failing.set(id, since)
    const pending = await loadPendingMessages(client, this.ctx.config.WEBHOOK_MAX_QUEUED)
    this.started = true
    for (const m of pending) this.dispatcher.enqueue({ ...m, stored: Promise.resolve() })
    // Anomalies reach the alerts room from the scheduler; they are sent on from there.
    this.unsubscribeAlerts = this.ctx.live.onMessage((message) => {
      if (message.room !== 'alerts') return
      const event = anomalyRaised(message.item)
      if (event) this.emit([event])
    })
  }

  async stop(): Promise<void> {
    // Events after this point are not taken (the writer closes below).
    this.started = false
    this.unsubscribeAlerts?.()
    await Promise.allSettled([...this.pending])
    await this.dispatcher.stop()
    await this.writer.close()
  }

  // ---- sources ----------------------------------------------------------------------

  /** A durable ingest batch: decisions, their tasks, status events (and the tasks a re-decision cancelled). */
  onDurable(batch: DurableBatch): void {
    if (!this.anySubscribed()) return
    // Built after the producer's answer went out (setImmediate runs callbacks in order, so
    // batches keep theirs): serialising decisions is not the producer's wait.
    setImmediate(() => this.emit(eventsOfBatch(batch)))
    const superseded = batch.decisions.map((d) => d.decision.supersedes).filter((id): id is string => !!id)
    if (superseded.length && this.anySubscribed('task.updated')) {
      // The old plan's tasks read as cancelled once the new decision is stored: fetched
      // after the fact, off the ingest path.
      this.inBackground(tasksOfDecisions(this.ctx.store.client, superseded, this.now()).then((tasks) => {
        this.emit(tasks.filter((t) => t.status === 'cancelled' && t.changedBy === 'navigator').map(taskUpdated))
      }).catch((error) => console.error('webhooks: cancelled tasks not sent', error)))
    }
  }

  onTaskChanged(task: TaskView): void {
    setImmediate(() => this.emit([taskUpdated(task)]))
  }

  private anySubscribed(type?: WebhookEventType): boolean {
    for (const s of this.subs.values()) if (s.enabled && (!type || s.events.includes(type))) return true
    return false
  }

  /** Builds the messages (one per subscribed receiver), queues them, writes the outbox. */
  private emit(events: WebhookEvent[]): void {
    if (!this.started || events.length === 0) return
    // One batch after another (their messages keep the order of their events), each
    // built in slices: a 10,000-event batch is tens of megabytes of JSON.
    const built = this.building.then(() => this.build(events))
    this.building = built.catch(() => {})
    this.inBackground(built.catch((error) => console.error('webhooks: messages not built', error)))
  }

  private async build(events: WebhookEvent[]): Promise<void> {
    const slicer = new CpuSlicer(this.ctx.config.INGEST_SLICE_MS)
    const at = this.now()
    const messages: OutboxMessage[] = []
    const rows = new JsonLines()
    for (const event of events) {
      if (slicer.due()) await slicer.yieldNow()
      let body: string | undefined
      for (const s of this.subs.values()) {
        if (!s.enabled || !s.events.includes(event.type)) continue
        // The same body for every subscriber: serialised once.
        body ??= JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data })
        const m: OutboxMessage = {
          msgId: messageId(s.id, event), subscriptionId: s.id, eventType: event.type, orderKey: event.orderKey,
          seq: this.seq.next(at), createdAt: at, body,
        }
        messages.push(m)
        rows.push(messageRow(m))
      }
    }
    if (messages.length === 0) return
    let stored: Promise<void>
    try {
      stored = this.writer.write('webhook_messages', rows)
    } catch (error) {
      stored = Promise.reject(error)
    }
    stored.catch((error) => console.error(`webhooks: ${messages.length} messages not stored`, error))
    for (const m of messages) {
      if (slicer.due()) await slicer.yieldNow()
      this.dispatcher.enqueue({ ...m, attempts: 0, roundStartedAt: at, stored })
    }
  }

  private inBackground(p: Promise<unknown>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  // ---- failing receivers ------------------------------------------------------------

  private noteAttempt(r: AttemptRecord): void {
    if (r.outcome === 'delivered') { this.failing.delete(r.subscriptionId); return }
    if (r.outcome !== 'retry' && r.outcome !== 'failed') return
    // Failing since the round of the first message that failed began: its last attempt
    // comes at the give-up deadline, so a receiver down throughout is disabled then.
    const since = this.failing.get(r.subscriptionId) ?? r.roundStartedAt ?? r.at
    this.failing.set(r.subscriptionId, since)
    if (this.now().getTime() - since.getTime() < this.giveUpMs) return
    const s = this.subs.get(r.subscriptionId)
    if (!s || !s.enabled) return
    const reason = `every delivery failed since ${since.toISOString()} (last: ${r.error || r.statusCode})`
    this.inBackground(this.save({ ...s, enabled: false, disabledReason: reason, updatedAt: this.now(), author: 'revnav' }).then(() => {
      this.failing.delete(s.id)
      this.ctx.live.publish('alerts', {
        id: `webhook_disabled:${s.id}:${since.getTime()}`, kind: 'webhook_disabled', subscriptionId: s.id, url: s.url,
        reason, at: this.now().toISOString(),
      })
    }).catch((error) => console.error('webhooks: could not disable a failing subscription', error)))
  }

  // ---- subscriptions ----------------------------------------------------------------

  list(): WebhookSubscriptionView[] {
    return [...this.subs.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(viewOf)
  }

  get(id: string): StoredSubscription {
    const s = this.subs.get(id)
    if (!s) throw new SubscriptionNotFoundError(`no webhook subscription ${id}`)
    return s
  }

  async create(body: WebhookCreate, author: string): Promise<WebhookSubscriptionView & { secret: string }> {
    const at = this.now()
    const s: StoredSubscription = {
      id: `wh_${randomBytes(12).toString('base64url')}`, url: body.url, events: body.events, description: body.description ?? '',
      secret: newSecret(), previousSecret: '', rotatedAt: new Date(0), enabled: true, disabledReason: '', deleted: false,
      createdAt: at, updatedAt: at, author,
    }
    await this.save(s)
    return { ...viewOf(s), secret: s.secret }
  }

  async update(id: string, body: WebhookUpdate, author: string): Promise<WebhookSubscriptionView> {
    const s = this.get(id)
    const enabled = body.enabled ?? s.enabled
    const next: StoredSubscription = {
      ...s, url: body.url ?? s.url, events: body.events ?? s.events, description: body.description ?? s.description,
      enabled, disabledReason: enabled ? '' : body.enabled === false ? `disabled by ${author}` : s.disabledReason,
      updatedAt: this.now(), author,
    }
    await this.save(next)
    if (enabled && !s.enabled) { this.failing.delete(id); this.dispatcher.resume(id) }
    return viewOf(next)
  }

  async remove(id: string, author: string): Promise<void> {
    const s = this.get(id)
    await this.save({ ...s, deleted: true, enabled: false, updatedAt: this.now(), author })
  }

  async rotate(id: string, author: string): Promise<WebhookSubscriptionView & { secret: string }> {
    const s = this.get(id)
    const at = this.now()
    const next = { ...s, secret: newSecret(), previousSecret: s.secret, rotatedAt: at, updatedAt: at, author }
    await this.save(next)
    return { ...viewOf(next), secret: next.secret }
  }

  /** Manual redelivery: a new round for a stored message (recorded, so a restart keeps it). */
  async redeliver(id: string, msgId: string): Promise<boolean> {
    this.get(id)
    const m = await getMessage(this.ctx.store.client, id, msgId)
    if (!m) return false
    const at = this.now()
    await this.writer.write('webhook_attempts', [attemptRow({ msgId, subscriptionId: id, attempt: 0, at, statusCode: 0, latencyMs: 0, error: '', outcome: 'redeliver' })])
    this.dispatcher.enqueue({ ...m, attempts: 0, roundStartedAt: at, stored: Promise.resolve() })
    return true
  }

  /** Stored first: the cache changes only once the change is durable. */
  private async save(s: StoredSubscription): Promise<void> {
    await saveSubscription(this.ctx.store.client, s)
    if (s.deleted) this.subs.delete(s.id)
    else this.subs.set(s.id, s)
  }
}

/** Same subscription and same event: same id, so an event sent twice is one message. */
function messageId(subscriptionId: string, event: WebhookEvent): string {
  return 'msg_' + createHash('sha256').update(`${subscriptionId}\u0000${event.type}\u0000${event.sourceId}`).digest('base64url').slice(0, 32)
}
