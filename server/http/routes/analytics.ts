// The analytics read API (viewer) and the pipeline controls: /api/v1/kpis, /skus,
// /skus/:sku, /reasons, /turnaround, /anomalies, /flows, /pipelines, and
// POST /pipelines/:job/run (admin; ?rebuild=true builds the job's outputs in full).
// Query strings are validated with zod; a bad one is a 400 naming the parameter. Every
// read takes a period: window (7d, 30d, 90d, all: from the first data) or from/to, parsed
// by the one helper in http/date-range.ts.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { RESOLUTIONS } from '../../contracts/enums.js'
import { Sku } from '../../contracts/events.js'
import { str } from '../../contracts/text.js'
import type { Role } from '../../contracts/enums.js'
import { UnknownJobError, type PipelineScheduler } from '../../../pipelines/scheduler.js'
import { anomaliesInRange, listAnomalies } from '../../store/analytics/anomalies.js'
import { readFlows } from '../../store/analytics/flows.js'
import { readKpis } from '../../store/analytics/kpis.js'
import { readReasons } from '../../store/analytics/reasons.js'
import { listSkus, skuDetail, SKU_SORTS } from '../../store/analytics/skus.js'
import { readTurnaround } from '../../store/analytics/turnaround.js'
import { resolveDays, WINDOWS } from '../../store/analytics/window.js'
import type { AppContext } from '../../app-context.js'
import type { Guard } from '../context.js'
import { day, dayRange } from '../date-range.js'
import { parseQuery } from '../validation.js'

const label = str().trim().min(1).max(64).regex(/^[\w.:\-\/#@]+$/, 'only letters, digits and _ . : - / # @')
const win = z.enum(WINDOWS).default('30d')

export const SkusQuery = z.strictObject({
  sort: z.enum(Object.keys(SKU_SORTS) as [keyof typeof SKU_SORTS, ...(keyof typeof SKU_SORTS)[]]).default('returnRate'),
  order: z.enum(['asc', 'desc']).default('desc'),
  category: label.optional(),
  window: win,
  from: day.optional(),
  to: day.optional(),
  // Default minimum volume: below 30 units sold a rate says more about chance than the SKU.
  minVolume: z.coerce.number().int().min(0).max(1_000_000_000).default(30),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

export const SkuQuery = z.strictObject({ window: win, from: day.optional(), to: day.optional(), recent: z.coerce.number().int().min(0).max(200).default(20) })
export const KpisQuery = z.strictObject({ window: win, from: day.optional(), to: day.optional() })
export const ReasonsQuery = z.strictObject({ window: win, from: day.optional(), to: day.optional(), category: label.optional(), sku: Sku.optional() })
export const TurnaroundQuery = z.strictObject({ window: win, from: day.optional(), to: day.optional(), node: label.optional(), resolution: z.enum(RESOLUTIONS).optional() })
// A window or from/to asks for the anomalies of that period, computed with the job's
// rules; without either, the stored episodes (state) as the job left them.
export const AnomaliesQuery = z.strictObject({
  window: z.enum(WINDOWS).optional(),
  from: day.optional(),
  to: day.optional(),
  state: z.enum(['active', 'resolved', 'all']).default('active'),
  kind: z.enum(['above_category', 'spike']).optional(),
  category: label.optional(),
  sku: Sku.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})
export const FlowsQuery = z.strictObject({ window: win, from: day.optional(), to: day.optional() })

// ?rebuild=true: build the job's outputs in full instead of only what changed.
export const RunQuery = z.strictObject({
  rebuild: z.enum(['true', 'false'], { error: 'true or false' }).optional().transform((v) => v === 'true'),
})

/** The analytics reads, and the pipelines' status and manual runs through `scheduler`. */
export function analyticsRoutes(scheduler: PipelineScheduler) {
  return (app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) => registerAnalytics(app, ctx, guard, scheduler)
}

async function registerAnalytics(app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard, scheduler: PipelineScheduler) {
  const client = ctx.store.client
  const viewer = guard('viewer')

  app.get('/api/v1/kpis', viewer, async (request, reply) => {
    const q = parseQuery(KpisQuery, request.query, reply)
    if (!q) return reply
    const now = new Date()
    const range = dayRange(q, now, reply)
    if (range === undefined) return reply
    return readKpis(client, now, { win: q.window, range: range ?? undefined })
  })

  app.get('/api/v1/skus', viewer, async (request, reply) => {
    const q = parseQuery(SkusQuery, request.query, reply)
    if (!q) return reply
    const range = dayRange(q, new Date(), reply)
    if (range === undefined) return reply
    return listSkus(client, { win: q.window, range: range ?? undefined, sort: q.sort, order: q.order, category: q.category, minVolume: q.minVolume, limit: q.limit, offset: q.offset })
  })

  app.get<{ Params: { sku: string } }>('/api/v1/skus/:sku', viewer, async (request, reply) => {
    const sku = Sku.safeParse(request.params.sku)
    if (!sku.success) return reply.code(400).send({ error: 'bad_request', message: 'invalid path parameter: sku', issues: [{ path: 'sku', message: sku.error.issues[0].message }] })
    const q = parseQuery(SkuQuery, request.query, reply)
    if (!q) return reply
    const now = new Date()
    const range = dayRange(q, now, reply)
    if (range === undefined) return reply
    const detail = await skuDetail(client, sku.data, q.window, range ?? undefined, now, q.recent)
    if (!detail) return reply.code(404).send({ error: 'not_found', message: `no sales or returns of SKU ${sku.data}` })
    return detail
  })

  app.get('/api/v1/reasons', viewer, async (request, reply) => {
    const q = parseQuery(ReasonsQuery, request.query, reply)
    if (!q) return reply
    const range = dayRange(q, new Date(), reply)
    if (range === undefined) return reply
    return readReasons(client, { win: q.window, range: range ?? undefined, category: q.category, sku: q.sku })
  })

  app.get('/api/v1/turnaround', viewer, async (request, reply) => {
    const q = parseQuery(TurnaroundQuery, request.query, reply)
    if (!q) return reply
    const now = new Date()
    const range = dayRange(q, now, reply)
    if (range === undefined) return reply
    const days = await resolveDays(client, q.window, range ?? undefined, now)
    return { window: range ? 'custom' : q.window, ...(await readTurnaround(client, { ...days, node: q.node, resolution: q.resolution })) }
  })

  app.get('/api/v1/anomalies', viewer, async (request, reply) => {
    const q = parseQuery(AnomaliesQuery, request.query, reply)
    if (!q) return reply
    if (!q.window && !q.from && !q.to) return listAnomalies(client, q)
    const now = new Date()
    const window = q.window ?? '30d'
    const range = dayRange({ ...q, window }, now, reply)
    if (range === undefined) return reply
    const days = await resolveDays(client, window, range ?? undefined, now)
    return { window: range ? 'custom' : window, ...days, ...(await anomaliesInRange(client, days, q)) }
  })

  app.get('/api/v1/flows', viewer, async (request, reply) => {
    const q = parseQuery(FlowsQuery, request.query, reply)
    if (!q) return reply
    const range = dayRange(q, new Date(), reply)
    if (range === undefined) return reply
    return readFlows(client, q.window, range ?? undefined)
  })

  // A failed run's raw error (store and SQL text) is for admins; viewers get its code and a short message.
  app.get('/api/v1/pipelines', viewer, async (request) => ({ jobs: await scheduler.status(5, { detail: request.role === 'admin' }) }))

  app.post<{ Params: { job: string } }>('/api/v1/pipelines/:job/run', guard('admin'), async (request, reply) => {
    const q = parseQuery(RunQuery, request.query, reply)
    if (!q) return reply
    try {
      const run = await scheduler.runNow(request.params.job, { rebuild: q.rebuild })
      return reply.code(run.status === 'failed' ? 500 : 200).send(run)
    } catch (error) {
      if (error instanceof UnknownJobError) {
        return reply.code(404).send({ error: 'not_found', message: `${error.message}; jobs: ${scheduler.jobNames.join(', ')}` })
      }
      throw error
    }
  })
}
