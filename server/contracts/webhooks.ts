// Webhooks out (shared/API.md v2): subscription bodies and what a message carries.
// Deliveries follow the Standard Webhooks spec (https://www.standardwebhooks.com/).
import { z } from 'zod'

export const WEBHOOK_EVENT_TYPES = [
  'decision.created', 'decision.changed', 'task.created', 'task.updated', 'return.status', 'offer.answered', 'anomaly.raised',
] as const
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES)
export type WebhookEventType = z.infer<typeof WebhookEventType>

const WebhookUrl = z.url({ protocol: /^https?$/ }).max(2000)
  .describe('http(s) URL the messages are POSTed to')
const Events = z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length)
  .refine((e) => new Set(e).size === e.length, 'each event type once')

export const WebhookCreate = z.strictObject({ url: WebhookUrl, events: Events, description: z.string().max(200).optional() })
export type WebhookCreate = z.infer<typeof WebhookCreate>
export const WebhookUpdate = z.strictObject({ url: WebhookUrl.optional(), events: Events.optional(), enabled: z.boolean().optional(), description: z.string().max(200).optional() })
  .refine((u) => Object.keys(u).length > 0, 'nothing to change')
export type WebhookUpdate = z.infer<typeof WebhookUpdate>

export const WebhookIdParam = z.object({ id: z.string().regex(/^wh_[A-Za-z0-9_-]{8,40}$/, 'a subscription id: wh_…') })
export const WebhookMessageParam = WebhookIdParam.extend({ msgId: z.string().regex(/^msg_[A-Za-z0-9_-]{8,64}$/, 'a message id: msg_…') })
export const DeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
})

export const WebhookSubscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  description: z.string().optional(),
  enabled: z.boolean(),
  disabledReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type WebhookSubscriptionView = z.infer<typeof WebhookSubscriptionView>

/** Answer of create and rotate: the only time the secret is shown. */
export const WebhookSecretView = WebhookSubscriptionView.extend({ secret: z.string().describe('whsec_<base64>: sign key of the messages') })

export const WebhookAttemptView = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().optional(),
  outcome: z.enum(['delivered', 'retry', 'failed', 'redeliver']),
  nextAttemptAt: z.string().optional(),
})
export const WebhookDeliveryView = z.object({
  msgId: z.string(),
  eventType: WebhookEventType,
  orderKey: z.string(),
  createdAt: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(WebhookAttemptView),
})
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>

/** The body of every message: `{ type, timestamp, data }` (Standard Webhooks' shape). */
export const WebhookMessageBody = z.object({
  type: WebhookEventType,
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
})
