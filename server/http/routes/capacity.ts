// GET /api/v1/capacity?from=&to= (viewer): every node's daily resources (repair bench
// hours, inspections, outlet units) per local day — capacity, booked, bid price — and the
// slots that bind now (any kind: stock, parts, vendor quota too), and the latest solve
// with its capacity-efficiency KPI. Default: the bid-price horizon from today. Slots are
// read from the navigator's live state: bookings change per event.
// GET /api/v1/capacity/history?from=&to=&hours= (viewer): the prices successive solves
// published for those days' slots, and each solve's KPI, over the last `hours`.
// GET /api/v1/capacity/efficiency (viewer): the latest solve's KPI alone (the overview).
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { bindingSlots, capacityByDay, DAILY_KINDS, dayDate, dayNumber } from '../../navigator/capacity.js'
import type { NavigatorService } from '../../navigator-service/service.js'
import type { RouteModule } from '../context.js'
import { checkedRange, day } from '../date-range.js'
import { parseQuery } from '../validation.js'
import { latestSolve, priceHistory, solvesSince } from '../../store/bid-price-repo.js'

export const CapacityQuery = z.strictObject({ from: day.optional(), to: day.optional() })
export const CapacityHistoryQuery = z.strictObject({
  from: day.optional(), to: day.optional(),
  /** Solves of the last this many hours (the job solves every 15 minutes). */
  hours: z.coerce.number().int().min(1).max(14 * 24).default(48),
})
/** Days shown by default (the bid prices' horizon), and at most (a bounded answer). */
const DEFAULT_DAYS = 14
const MAX_DAYS = 92
/** Bounds on a history answer: 14 days of solves every 15 minutes, and their price rows. */
const MAX_SOLVES = 14 * 24 * 4
const MAX_PRICE_ROWS = 50_000

export function capacityRoutes(service: NavigatorService): RouteModule {
  /** The day range asked (default: the horizon from today), or undefined once a 400 was sent. */
  const daysOf = (q: { from?: string; to?: string }, now: Date, reply: FastifyReply) => {
    const today = service.navigator.state.localDay(now.getTime())
    const from = q.from ?? (q.to ? dayDate(dayNumber(q.to) - DEFAULT_DAYS + 1) : dayDate(today))
    const to = q.to ?? dayDate(dayNumber(from) + DEFAULT_DAYS - 1)
    const range = checkedRange({ from, to }, now, reply)
    if (!range) return undefined
    if (dayNumber(range.to) - dayNumber(range.from) + 1 > MAX_DAYS) {
      void reply.code(400).send({ error: 'bad_request', message: 'invalid query parameters: from, to', issues: [{ path: 'to', message: `at most ${MAX_DAYS} days from from` }] })
      return undefined
    }
    return { ...range, today }
  }

  return (app, ctx, guard) => {
    app.get('/api/v1/capacity', guard('viewer'), async (request, reply) => {
      const q = parseQuery(CapacityQuery, request.query, reply)
      if (!q) return reply
      const range = daysOf(q, new Date(), reply)
      if (!range) return reply
      const state = service.navigator.state
      return {
        from: range.from, to: range.to, today: dayDate(range.today),
        currency: service.network.file.currency,
        // The latest bid-prices solve and its capacity-efficiency KPI; null before the first.
        solve: await latestSolve(ctx.store.client),
        days: capacityByDay(state, dayNumber(range.from), dayNumber(range.to)),
        binding: bindingSlots(state).map((s) => ({
          // A day slot as its local date; quota periods, part ids and SKUs as they are.
          resource: s.kind, scope: s.scope, slot: DAILY_KINDS.includes(s.kind) ? dayDate(Number(s.slot)) : String(s.slot),
          capacity: Number.isFinite(s.capacity) ? s.capacity : null, booked: s.booked, bidPrice: s.bidPrice,
          full: Number.isFinite(s.capacity) && s.booked >= s.capacity - 1e-9,
        })),
      }
    })

    app.get('/api/v1/capacity/history', guard('viewer'), async (request, reply) => {
      const q = parseQuery(CapacityHistoryQuery, request.query, reply)
      if (!q) return reply
      const now = new Date()
      const range = daysOf(q, now, reply)
      if (!range) return reply
      const since = new Date(now.getTime() - q.hours * 3_600_000)
      const [solves, prices] = await Promise.all([
        solvesSince(ctx.store.client, since, MAX_SOLVES),
        priceHistory(ctx.store.client, since, dayNumber(range.from), dayNumber(range.to), MAX_PRICE_ROWS),
      ])
      return {
        from: range.from, to: range.to, since: since.toISOString(), currency: service.network.file.currency,
        solves,
        // Only what a solve priced: a slot a solve left out was at 0 in it.
        prices: prices.map((p) => ({ solvedAt: p.solvedAt, resource: p.kind, nodeId: p.scope, day: dayDate(p.day), price: p.price })),
        truncated: prices.length >= MAX_PRICE_ROWS,
      }
    })

    app.get('/api/v1/capacity/efficiency', guard('viewer'), async () => ({
      currency: service.network.file.currency, solve: await latestSolve(ctx.store.client),
    }))
  }
}
