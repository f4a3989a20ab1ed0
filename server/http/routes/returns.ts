// GET /api/v1/returns/:rmaId (viewer): the request, decisions newest first, tasks (with
// their status), timeline.
// GET /api/v1/track/:token (no key): the customer's view — status, ETA, refund/exchange
// status in plain fields, never an internal cost.
import { z } from 'zod'
import { str } from '../../contracts/text.js'
import type { Decision } from '../../contracts/decision.js'
import { getDecisions, getInspections, getOfferAnswers, getReturnRequest, getTimeline, recentDecisions, rmaOfToken, type TimelineEntry } from '../../store/returns-repo.js'
import { ANY_TIME, listTasks } from '../../store/tasks-repo.js'
import type { RouteModule } from '../context.js'
import { trackRateLimit } from '../rate-limits.js'
import { badRequest } from '../validation.js'

export const RmaParam = z.object({ rmaId: str().min(1).max(128) })
export const RecentQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) })
// Tokens are base64url of ≥128 random bits; anything else cannot be one.
export const TokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/) })

/** The newest decision of each line (a re-route supersedes the earlier one). */
export function currentDecisions(decisions: Decision[]): Decision[] {
  const byLine = new Map<number, Decision>()
  for (const d of decisions) {
    const seen = byLine.get(d.lineIndex)
    if (!seen || d.decidedAt > seen.decidedAt) byLine.set(d.lineIndex, d)
  }
  return [...byLine.values()].sort((a, b) => a.lineIndex - b.lineIndex)
}

const DONE_STATUSES = ['closed', 'cancelled']
const REFUND_RESOLUTIONS = ['refund', 'keep_it', 'partial_refund', 'store_credit']

/**
 * The offers of a line the customer can still answer (not answered, not expired), with
 * what they are given for it; never the merchant's saving or expected value.
 */
function openOffers(d: Decision, answered: ReadonlyMap<string, boolean>, nowMs: number) {
  return (d.offers ?? [])
    .filter((o) => !answered.has(o.offerId) && Date.parse(o.expiresAt) >= nowMs)
    .map((o) => ({ offerId: o.offerId, resolution: o.resolution, incentive: o.incentive, expiresAt: o.expiresAt, summary: o.summary }))
}

export function trackingView(
  rmaId: string, decisions: Decision[], timeline: TimelineEntry[], requestedAt: string | undefined,
  answered: ReadonlyMap<string, boolean> = new Map(), nowMs = Date.now(),
) {
  const current = currentDecisions(decisions)
  const statuses = new Set(timeline.map((t) => t.status))
  const latest = timeline[timeline.length - 1]?.status ?? 'requested'
  const etaOf = (d: Decision) => new Date(Date.parse(d.decidedAt) + d.totals.waitHours * 3_600_000).toISOString()
  const open = !DONE_STATUSES.some((s) => statuses.has(s))
  return {
    rmaId,
    status: latest,
    requestedAt: requestedAt ?? current[0]?.decidedAt,
    timeline: [
      ...(requestedAt ? [{ status: 'requested', at: requestedAt }] : []),
      ...timeline.map((t) => ({ status: t.status, at: t.at })),
    ],
    etaAt: open && current.length ? current.map(etaOf).sort().at(-1) : undefined,
    lines: current.map((d) => ({
      lineIndex: d.lineIndex,
      sku: d.sku,
      resolution: d.resolution,
      inboundMode: d.inboundMode,
      dropOffNodeId: d.inboundMode === 'drop_off' ? d.steps.find((s) => s.kind.includes('drop'))?.nodeId ?? null : null,
      etaAt: etaOf(d),
      refundStatus: REFUND_RESOLUTIONS.includes(d.resolution) ? (statuses.has('refunded') ? 'refunded' : 'pending') : 'not_applicable',
      exchangeStatus: d.resolution === 'exchange' ? (statuses.has('exchange_shipped') ? 'shipped' : 'pending') : 'not_applicable',
      repairStatus: d.resolution === 'repair' ? (statuses.has('repaired') ? 'repaired' : statuses.has('repair_started') ? 'in_repair' : 'pending') : 'not_applicable',
      wish: d.wish,
      offers: open ? openOffers(d, answered, nowMs) : [],
    })),
  }
}

export const returnRoutes: RouteModule = (app, ctx, guard) => {
  const client = ctx.store.client

  app.get('/api/v1/decisions', guard('viewer'), async (request, reply) => {
    const q = RecentQuery.safeParse(request.query)
    if (!q.success) return badRequest(reply, q.error)
    return { items: await recentDecisions(client, q.data.limit) }
  })

  app.get('/api/v1/returns/:rmaId', guard('viewer'), async (request, reply) => {
    const p = RmaParam.safeParse(request.params)
    if (!p.success) return badRequest(reply, p.error)
    const { rmaId } = p.data
    const [req, decisions, timeline, inspections, stored] = await Promise.all([
      getReturnRequest(client, rmaId), getDecisions(client, rmaId), getTimeline(client, rmaId), getInspections(client, rmaId),
      listTasks(client, { rmaId, ...ANY_TIME, limit: 1000, offset: 0 }, new Date()),
    ])
    if (!req && decisions.length === 0 && timeline.length === 0) {
      return reply.code(404).send({ error: 'not_found', message: `no return ${rmaId}` })
    }
    // The current plans' tasks with their status, and the work people already did on
    // earlier plans (a re-decision cancels what was still open, not what was done).
    const current = new Set(currentDecisions(decisions).map((d) => d.decisionId))
    const tasks = stored.filter((t) => current.has(t.decisionId) || t.status === 'done' || t.status === 'failed')
    return { request: req ?? null, decisions, tasks, timeline, inspections }
  })

  // Public (no key): a per-address limit is the brake on guessing tokens.
  app.get('/api/v1/track/:token', { config: { rateLimit: trackRateLimit(ctx.config) } }, async (request, reply) => {
    const notFound = () => reply.code(404).send({ error: 'not_found', message: 'no return with this tracking link' })
    const p = TokenParam.safeParse(request.params)
    if (!p.success) return notFound()
    const rmaId = await rmaOfToken(client, p.data.token)
    if (!rmaId) return notFound()
    const [req, decisions, timeline, answered] = await Promise.all([
      getReturnRequest(client, rmaId), getDecisions(client, rmaId), getTimeline(client, rmaId), getOfferAnswers(client, rmaId),
    ])
    // The token index is fed by every stored decision; a token counts only while a
    // shown decision carries it (a refused request's decisions are stored, not shown).
    if (!decisions.some((d) => d.trackingToken === p.data.token)) return notFound()
    return trackingView(rmaId, decisions, timeline, req?.occurredAt, answered)
  })
}
