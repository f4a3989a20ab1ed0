// GET /api/v1/capacity?from=&to= (viewer): every node's daily resources (repair bench
// hours, inspections, outlet units) per local day — capacity, booked, bid price — and the
// slots that bind now (any kind: stock, parts, vendor quota too), and the latest solve
// with its capacity-efficiency KPI. Default: the bid-price horizon from today. Slots are
// read from the navigator's live state: bookings change per event.
import { z } from 'zod'
import { bindingSlots, capacityByDay, DAILY_KINDS, dayDate, dayNumber } from '../../navigator/capacity.js'
import type { NavigatorService } from '../../navigator-service/service.js'
import type { RouteModule } from '../context.js'
import { checkedRange, day } from '../date-range.js'
import { parseQuery } from '../validation.js'
import { latestSolve } from '../../store/bid-price-repo.js'

export const CapacityQuery = z.strictObject({ from: day.optional(), to: day.optional() })
/** Days shown by default (the bid prices' horizon), and at most (a bounded answer). */
const DEFAULT_DAYS = 14
const MAX_DAYS = 92

export function capacityRoutes(service: NavigatorService): RouteModule {
  return (app, ctx, guard) => {
    app.get('/api/v1/capacity', guard('viewer'), async (request, reply) => {
      const q = parseQuery(CapacityQuery, request.query, reply)
      if (!q) return reply
      const now = new Date()
      const state = service.navigator.state
      const today = state.localDay(now.getTime())
      const from = q.from ?? (q.to ? dayDate(dayNumber(q.to) - DEFAULT_DAYS + 1) : dayDate(today))
      const to = q.to ?? dayDate(dayNumber(from) + DEFAULT_DAYS - 1)
      const range = checkedRange({ from, to }, now, reply)
      if (!range) return reply
      if (dayNumber(range.to) - dayNumber(range.from) + 1 > MAX_DAYS) {
        return reply.code(400).send({ error: 'bad_request', message: 'invalid query parameters: from, to', issues: [{ path: 'to', message: `at most ${MAX_DAYS} days from from` }] })
      }
      return {
        from: range.from, to: range.to, today: dayDate(today),
        currency: service.network.file.currency,
        // The latest bid-prices solve and its capacity-efficiency KPI; null before the first.
        solve: await latestSolve(ctx.store.client),
        days: capacityByDay(state, dayNumber(range.from), dayNumber(range.to)),
        binding: bindingSlots(state).map((s) => ({
          // A day slot as its local date; quota periods, part ids and SKUs as they are.
          resource: s.kind, scope: s.scope, slot: DAILY_KINDS.includes(s.kind) ? dayDate(Number(s.slot)) : String(s.slot),
          capacity: Number.isFinite(s.capacity) ? s.capacity : null, booked: s.booked, bidPrice: s.bidPrice,
        })),
      }
    })
  }
}
