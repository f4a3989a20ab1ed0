// Storage of webhooks: subscriptions (a row per change), the outbox and the delivery log
// (sql/migrations/0042_webhooks.sql).
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { WebhookEventType, type WebhookDeliveryView } from '../contracts/webhooks.js'
import { chTimeToIso, namedQuery, query, toChTime } from './query.js'

export interface StoredSubscription {
  id: string
  url: string
  events: WebhookEventType[]
  description: string
  secret: string
  previousSecret: string
  rotatedAt: Date
  enabled: boolean
  disabledReason: string
  deleted: boolean
  createdAt: Date
  updatedAt: Date
  author: string
}

const iso = (v: string) => new Date(chTimeToIso(v))

const SubscriptionRow = z.object({
  subscription_id: z.string(), url: z.string(), description: z.string(), events: z.array(WebhookEventType), secret: z.string(),
  previous_secret: z.string(), rotated_at: z.string(), enabled: z.coerce.number(), disabled_reason: z.string(),
  created_at: z.string(), updated_at: z.string(), author: z.string(),
})
const MessageRow = z.object({
  msg_id: z.string(), subscription_id: z.string(), event_type: WebhookEventType, order_key: z.string(), seq: z.coerce.number(),
  payload: z.string(), created_at: z.string(),
})
const PendingRow = MessageRow.extend({ next_at: z.string(), round_started_at: z.string(), attempts: z.coerce.number().optional() })
const FailingRow = z.object({ subscription_id: z.string(), failing_since: z.string() })
const DeliveryRow = z.object({
  msg_id: z.string(), event_type: z.string(), order_key: z.string(), created_at: z.string(),
  attempts: z.array(z.tuple([z.coerce.number(), z.string(), z.coerce.number(), z.coerce.number(), z.string(), z.string(), z.string()])),
})

export async function loadSubscriptions(client: ClickHouseClient): Promise<StoredSubscription[]> {
  const rows = await query(client, {
    schema: SubscriptionRow,
    query: namedQuery('webhooks-subscriptions'),
    tag: 'webhooks.subscriptions',
  })
  return rows.map((r) => {
    return {
      id: r.subscription_id, url: r.url, description: r.description, events: r.events, secret: r.secret, previousSecret: r.previous_secret,
      rotatedAt: iso(r.rotated_at), enabled: Number(r.enabled) === 1, disabledReason: r.disabled_reason,
      deleted: false, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at), author: r.author,
    }
  })
}

export function subscriptionRow(s: StoredSubscription) {
  return {
    subscription_id: s.id, url: s.url, description: s.description, events: s.events, secret: s.secret,
    previous_secret: s.previousSecret, rotated_at: toChTime(s.rotatedAt), enabled: s.enabled ? 1 : 0,
    disabled_reason: s.disabledReason, deleted: s.deleted ? 1 : 0, created_at: toChTime(s.createdAt),
    updated_at: toChTime(s.updatedAt), author: s.author,
  }
}

export async function saveSubscription(client: ClickHouseClient, s: StoredSubscription): Promise<void> {
  await client.insert({ table: 'webhook_subscriptions', format: 'JSONEachRow', values: [subscriptionRow(s)] })
}

export interface OutboxMessage {
  msgId: string
  subscriptionId: string
  eventType: WebhookEventType
  orderKey: string
  seq: number
  /** The message body as sent (JSON text). */
  body: string
  createdAt: Date
}

export function messageRow(m: OutboxMessage) {
  return {
    msg_id: m.msgId, subscription_id: m.subscriptionId, event_type: m.eventType, order_key: m.orderKey,
    seq: m.seq, payload: m.body, created_at: toChTime(m.createdAt),
  }
}

export interface AttemptRecord {
  msgId: string
  subscriptionId: string
  attempt: number
  at: Date
  statusCode: number
  latencyMs: number
  error: string
  outcome: 'delivered' | 'retry' | 'failed' | 'redeliver'
  nextAttemptAt?: Date
  /** Not stored: when the message's round began (a receiver failing since then failed that long). */
  roundStartedAt?: Date
}

export function attemptRow(a: AttemptRecord) {
  return {
    msg_id: a.msgId, subscription_id: a.subscriptionId, attempt: a.attempt, at: toChTime(a.at), status_code: a.statusCode,
    latency_ms: Math.round(a.latencyMs), error: a.error.slice(0, 500), outcome: a.outcome,
    next_attempt_at: toChTime(a.nextAttemptAt ?? 0),
  }
}

export interface PendingMessage extends OutboxMessage {
  attempts: number
  /** When the next attempt is due (absent: now). */
  nextAt?: Date
  /** Start of the current delivery round: creation, or the last manual redelivery. */
  roundStartedAt: Date
}

export async function loadPendingMessages(client: ClickHouseClient, limit: number): Promise<PendingMessage[]> {
  const rows = await query(client, { query: namedQuery('webhooks-pending'), params: { limit }, tag: 'webhooks.pending', schema: PendingRow })
  return rows.map((r) => {
    const createdAt = iso(r.created_at)
    const next = iso(r.next_at)
    const round = iso(r.round_started_at)
    return {
      msgId: r.msg_id, subscriptionId: r.subscription_id, eventType: r.event_type, orderKey: r.order_key, seq: Number(r.seq),
      body: r.payload, createdAt, attempts: Number(r.attempts ?? 0),
      ...(next.getTime() > 0 ? { nextAt: next } : {}),
      roundStartedAt: round.getTime() > createdAt.getTime() ? round : createdAt,
    }
  })
}

export async function getMessage(client: ClickHouseClient, subscriptionId: string, msgId: string): Promise<OutboxMessage | undefined> {
  const rows = await query(client, {
    schema: MessageRow,
    query: namedQuery('webhooks-message'),
    params: { sub: subscriptionId, msg: msgId }, tag: 'webhooks.message',
  })
  const r = rows[0]
  return r && { msgId: r.msg_id, subscriptionId: r.subscription_id, eventType: r.event_type, orderKey: r.order_key, seq: Number(r.seq), body: r.payload, createdAt: iso(r.created_at) }
}

export async function failingSince(client: ClickHouseClient): Promise<Map<string, Date>> {
  const rows = await query(client, { query: namedQuery('webhooks-failing-since'), tag: 'webhooks.failing', schema: FailingRow })
  return new Map(rows.map((r) => [r.subscription_id, iso(r.failing_since)]))
}

export async function listDeliveries(client: ClickHouseClient, subscriptionId: string, limit: number, offset: number): Promise<WebhookDeliveryView[]> {
  const rows = await query(client, {
    schema: DeliveryRow,
    query: namedQuery('webhooks-deliveries'), params: { subscriptionId, limit, offset }, tag: 'webhooks.deliveries',
  })
  return rows.map((r) => {
    const attempts = (r.attempts ?? []).map(([attempt, at, statusCode, latencyMs, error, outcome, nextAt]) => ({
      attempt: Number(attempt), at: iso(at).toISOString(), statusCode: Number(statusCode) || null, latencyMs: Number(latencyMs),
      ...(error ? { error } : {}), outcome: outcome as AttemptRecord['outcome'],
      ...(iso(nextAt).getTime() > 0 ? { nextAttemptAt: iso(nextAt).toISOString() } : {}),
    }))
    const last = attempts.at(-1)?.outcome
    const status = last === 'delivered' ? 'delivered' : last === 'failed' ? 'failed' : 'pending'
    return { msgId: r.msg_id, eventType: r.event_type as WebhookEventType, orderKey: r.order_key, createdAt: iso(r.created_at).toISOString(), status, attempts }
  })
}
