// Every API operation with the zod schemas its handler validates with: the OpenAPI
// document is generated from these, so the contracts stay the single source. A route
// that is registered but missing here fails test/integration/openapi.test.ts.
import { z } from 'zod'
import { Decision } from '../../contracts/decision.js'
import type { Role } from '../../contracts/enums.js'
import { Event, MAX_EVENTS_PER_REQUEST } from '../../contracts/events.js'
import { PreviewResult } from '../../contracts/preview.js'
import { ReturnsWaitingQuery, ReturnWaiting, TaskActionBody, TaskActionParam, TaskList, TasksQuery, TaskView } from '../../contracts/tasks.js'
import { WeightsChange, WeightsVersion } from '../../contracts/weights.js'
import {
  DeliveriesQuery, WebhookCreate, WebhookDeliveryView, WebhookIdParam, WebhookMessageParam, WebhookMessageBody,
  WebhookSecretView, WebhookSubscriptionView, WebhookUpdate,
} from '../../contracts/webhooks.js'
import { AnomaliesQuery, FlowsQuery, KpisQuery, ReasonsQuery, RunQuery, SkuQuery, SkusQuery, TurnaroundQuery } from '../routes/analytics.js'
import { CapacityBody, NetworkQuery, NodeParam } from '../routes/network.js'
import { BacktestQuery } from '../routes/backtest.js'
import { CapacityHistoryQuery, CapacityQuery } from '../routes/capacity.js'
import { OfferAnswerBody, OfferParams, PendingOffersQuery } from '../routes/offers.js'
import { RecentQuery, RmaParam, TokenParam } from '../routes/returns.js'
import { ListQuery, PreviewQuery, VersionParam } from '../routes/weights.js'

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Fastify's form (`:param`). */
  url: string
  summary: string
  tag: string
  /** Least role of the API key; null: no key. */
  auth: Role | null
  params?: z.ZodObject
  query?: z.ZodType
  body?: z.ZodType
  bodyDescription?: string
  /** Status → schema (or a description when the answer is not JSON or has no contract). */
  responses: Record<number, z.ZodType | string>
}

/** Schemas the document names (components), so clients get one type per contract. */
export const NAMED_SCHEMAS: [z.ZodType, string][] = [
  [Decision, 'Decision'], [Event, 'Event'], [TaskView, 'Task'], [WeightsVersion, 'WeightsVersion'],
  [WebhookSubscriptionView, 'WebhookSubscription'], [WebhookDeliveryView, 'WebhookDelivery'], [WebhookMessageBody, 'WebhookMessage'],
]

const ErrorBody = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
const FieldError = z.object({ path: z.string(), message: z.string() })
const IngestOutcome = z.object({
  accepted: z.number().int(), duplicates: z.number().int(), rejected: z.number().int(),
  results: z.array(z.object({
    index: z.number().int(), eventId: z.string().optional(), status: z.enum(['accepted', 'duplicate', 'rejected']),
    errors: z.array(FieldError).optional(),
    decisions: z.array(Decision.pick({ decisionId: true, lineIndex: true, trackingToken: true, resolution: true, inboundMode: true, receivingNodeId: true, exchangeSourceNodeId: true, disposition: true })).optional(),
  })),
})
const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) })
const TaskChange = z.object({ task: TaskView, ingest: IngestOutcome.optional().describe('the stream events the action sent, with any re-decision') })
const SkuParam = z.object({ sku: z.string().min(1).max(64) })
const JobParam = z.object({ job: z.string().min(1).max(64) })
const Json = (description: string) => z.record(z.string(), z.unknown()).describe(description)

export const OPERATIONS: Operation[] = [
  { method: 'GET', url: '/healthz', summary: 'Liveness', tag: 'health', auth: null, responses: { 200: z.object({ status: z.literal('ok') }) } },
  { method: 'GET', url: '/readyz', summary: 'Readiness: migrations applied and state loaded', tag: 'health', auth: null, responses: { 200: Json('ready'), 503: Json('starting or store unreachable') } },
  { method: 'GET', url: '/metrics', summary: 'Prometheus metrics', tag: 'health', auth: 'viewer', responses: { 200: 'Prometheus text exposition format' } },
  { method: 'GET', url: '/api/v1/me', summary: 'The role of the calling key', tag: 'auth', auth: 'viewer', responses: { 200: z.object({ role: z.string() }) } },
  { method: 'GET', url: '/api/v1/openapi.json', summary: 'This document (OpenAPI 3.1)', tag: 'meta', auth: null, responses: { 200: 'the OpenAPI 3.1 document' } },

  {
    method: 'POST', url: '/api/v1/events', summary: 'Send events: one, a JSON array, or NDJSON (application/x-ndjson)', tag: 'events', auth: 'ingest',
    body: z.union([Event, z.array(Event).min(1).max(MAX_EVENTS_PER_REQUEST)]),
    bodyDescription: 'Each event is validated on its own: invalid ones are rejected with field paths, valid ones in the same request are stored.',
    responses: { 200: IngestOutcome, 400: ErrorBody, 503: ErrorBody },
  },

  { method: 'GET', url: '/api/v1/decisions', summary: 'Newest decisions', tag: 'returns', auth: 'viewer', query: RecentQuery, responses: { 200: Items(Decision), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/returns/:rmaId', summary: 'A return: request, decisions newest first, tasks, timeline, inspections', tag: 'returns', auth: 'viewer', params: RmaParam, responses: { 200: Json('the return page'), 404: ErrorBody } },
  { method: 'GET', url: '/api/v1/track/:token', summary: "The customer's tracking view (no costs)", tag: 'returns', auth: null, params: TokenParam, responses: { 200: Json('tracking view'), 404: ErrorBody } },
  {
    method: 'POST', url: '/api/v1/track/:token/offers/:offerId', summary: "The customer accepts or declines an offer; an acceptance re-decides the line", tag: 'returns', auth: null,
    params: OfferParams, body: OfferAnswerBody, responses: { 200: Json('the answer and the re-decision'), 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
  },
  { method: 'GET', url: '/api/v1/offers/pending', summary: 'Offers customers have not answered yet, soonest to expire first', tag: 'returns', auth: 'viewer', query: PendingOffersQuery, responses: { 200: Json('items: the offers with their return, line, SKU, wish and customer'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/backtest', summary: 'Navigator against the baseline over decided history, by category and month', tag: 'analytics', auth: 'viewer', query: BacktestQuery, responses: { 200: Json('backtest report'), 400: ErrorBody } },

  { method: 'GET', url: '/api/v1/tasks', summary: 'Work list: tasks by role, status, node and due time, most urgent first', tag: 'tasks', auth: 'viewer', query: TasksQuery, responses: { 200: TaskList, 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/tasks/returns', summary: 'Returns with open work: customers waiting longest, or overdue returns', tag: 'tasks', auth: 'viewer', query: ReturnsWaitingQuery, responses: { 200: Items(ReturnWaiting), 400: ErrorBody } },
  {
    method: 'POST', url: '/api/v1/tasks/:taskId/:action', summary: "Start, finish, fail or cancel a task; an inspection's done carries grade and findings", tag: 'tasks', auth: 'operator',
    params: TaskActionParam, body: TaskActionBody, responses: { 200: TaskChange, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  },

  { method: 'GET', url: '/api/v1/weights', summary: 'Weights in force', tag: 'weights', auth: 'viewer', responses: { 200: WeightsVersion } },
  { method: 'GET', url: '/api/v1/weights/versions', summary: 'Weights history', tag: 'weights', auth: 'viewer', query: ListQuery, responses: { 200: Items(WeightsVersion), 400: ErrorBody } },
  { method: 'PUT', url: '/api/v1/weights', summary: 'Apply new weights (a new version)', tag: 'weights', auth: 'operator', body: WeightsChange, responses: { 200: WeightsVersion, 400: ErrorBody } },
  { method: 'POST', url: '/api/v1/weights/preview', summary: 'What-if: recent returns decided with candidate weights', tag: 'weights', auth: 'operator', query: PreviewQuery, body: WeightsChange, responses: { 200: PreviewResult, 400: ErrorBody } },
  { method: 'POST', url: '/api/v1/weights/rollback/:version', summary: 'Roll back to an earlier version (as a new version)', tag: 'weights', auth: 'operator', params: VersionParam, responses: { 200: WeightsVersion, 404: ErrorBody } },

  { method: 'GET', url: '/api/v1/network', summary: 'The network model', tag: 'network', auth: 'viewer', query: NetworkQuery, responses: { 200: Json('nodes, lanes, rules'), 400: ErrorBody } },
  { method: 'PUT', url: '/api/v1/network/nodes/:nodeId/capacity', summary: "Change a node's capacity: bench hours, inspections, outlet units, its vendor's RTV quota (re-plans what no longer fits, re-solves the bid prices)", tag: 'network', auth: 'operator', params: NodeParam, body: CapacityBody, responses: { 200: Json('the change and the re-decisions'), 400: ErrorBody, 404: ErrorBody } },
  { method: 'GET', url: '/api/v1/capacity', summary: 'Capacity, bookings and bid prices per node, resource and day; the binding slots; the latest solve and its capacity efficiency', tag: 'network', auth: 'viewer', query: CapacityQuery, responses: { 200: Json('days, binding, solve'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/capacity/history', summary: "Bid prices over time: each solve's prices for the daily slots of from–to, and each solve's capacity efficiency, over the last `hours`", tag: 'network', auth: 'viewer', query: CapacityHistoryQuery, responses: { 200: Json('solves, prices'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/capacity/efficiency', summary: "The latest bid-prices solve's capacity-efficiency KPI (the overview's tile)", tag: 'network', auth: 'viewer', responses: { 200: Json('solve') } },

  { method: 'GET', url: '/api/v1/kpis', summary: 'Headline figures', tag: 'analytics', auth: 'viewer', query: KpisQuery, responses: { 200: Json('KPIs'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/skus', summary: 'Return rates per SKU', tag: 'analytics', auth: 'viewer', query: SkusQuery, responses: { 200: Json('SKU page'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/skus/:sku', summary: 'One SKU: trend, reasons, outcomes', tag: 'analytics', auth: 'viewer', params: SkuParam, query: SkuQuery, responses: { 200: Json('SKU detail'), 400: ErrorBody, 404: ErrorBody } },
  { method: 'GET', url: '/api/v1/reasons', summary: 'Return reasons', tag: 'analytics', auth: 'viewer', query: ReasonsQuery, responses: { 200: Json('reasons'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/turnaround', summary: 'Turnaround by stage', tag: 'analytics', auth: 'viewer', query: TurnaroundQuery, responses: { 200: Json('turnaround'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/anomalies', summary: 'Return-rate anomalies', tag: 'analytics', auth: 'viewer', query: AnomaliesQuery, responses: { 200: Json('anomalies'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/flows', summary: 'Flows between nodes and outcomes', tag: 'analytics', auth: 'viewer', query: FlowsQuery, responses: { 200: Json('flows'), 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/pipelines', summary: 'Scheduled jobs and their last runs', tag: 'analytics', auth: 'viewer', responses: { 200: Json('jobs') } },
  { method: 'POST', url: '/api/v1/pipelines/:job/run', summary: 'Run a job now', tag: 'analytics', auth: 'admin', params: JobParam, query: RunQuery, responses: { 200: Json('the run record'), 404: ErrorBody } },

  { method: 'POST', url: '/api/v1/webhooks', summary: 'Subscribe a URL to event types; answers the signing secret (shown once)', tag: 'webhooks', auth: 'admin', body: WebhookCreate, responses: { 201: WebhookSecretView, 400: ErrorBody } },
  { method: 'GET', url: '/api/v1/webhooks', summary: 'Subscriptions', tag: 'webhooks', auth: 'admin', responses: { 200: Items(WebhookSubscriptionView) } },
  { method: 'GET', url: '/api/v1/webhooks/:id', summary: 'A subscription', tag: 'webhooks', auth: 'admin', params: WebhookIdParam, responses: { 200: WebhookSubscriptionView, 404: ErrorBody } },
  { method: 'PATCH', url: '/api/v1/webhooks/:id', summary: 'Change URL, event types, or enable/disable', tag: 'webhooks', auth: 'admin', params: WebhookIdParam, body: WebhookUpdate, responses: { 200: WebhookSubscriptionView, 400: ErrorBody, 404: ErrorBody } },
  { method: 'DELETE', url: '/api/v1/webhooks/:id', summary: 'Delete a subscription (its pending messages are dropped)', tag: 'webhooks', auth: 'admin', params: WebhookIdParam, responses: { 204: 'deleted', 404: ErrorBody } },
  { method: 'POST', url: '/api/v1/webhooks/:id/rotate', summary: 'New secret; the old one signs alongside it for a day', tag: 'webhooks', auth: 'admin', params: WebhookIdParam, responses: { 200: WebhookSecretView, 404: ErrorBody } },
  {
    method: 'GET', url: '/api/v1/webhooks/:id/deliveries', summary: 'Delivery log: messages with every attempt (status code, latency, outcome)', tag: 'webhooks', auth: 'admin',
    params: WebhookIdParam, query: DeliveriesQuery, responses: { 200: z.object({ items: z.array(WebhookDeliveryView), limit: z.number().int(), offset: z.number().int() }), 404: ErrorBody },
  },
  { method: 'POST', url: '/api/v1/webhooks/:id/deliveries/:msgId/redeliver', summary: 'Send a message again (a new round of attempts)', tag: 'webhooks', auth: 'admin', params: WebhookMessageParam, responses: { 202: z.object({ msgId: z.string(), status: z.literal('pending') }), 404: ErrorBody } },
]
