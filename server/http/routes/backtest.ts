// GET /api/v1/backtest?from=&to= (viewer): navigator against the baseline over a period
// of decided history (an import with --decide, or live decisions). Default: the last year.
// ?window= (7d, 30d, 90d, all: from the first data) names the period as the other
// analytics routes do; from/to go through the same parser (http/date-range.ts).
import { z } from 'zod'
import type { RouteModule } from '../context.js'
import { checkedRange, day } from '../date-range.js'
import { parseQuery } from '../validation.js'
import { readBacktest } from '../../store/backtest-read.js'
import { resolveDays, WINDOWS } from '../../store/analytics/window.js'

export const BacktestQuery = z.strictObject({ window: z.enum(WINDOWS).optional(), from: day.optional(), to: day.optional() })

export const backtestRoutes: RouteModule = (app, ctx, guard) => {
  app.get('/api/v1/backtest', guard('viewer'), async (request, reply) => {
    const q = parseQuery(BacktestQuery, request.query, reply)
    if (!q) return reply
    const now = new Date()
    if (q.window && !q.from && !q.to) return readBacktest(ctx.store.client, await resolveDays(ctx.store.client, q.window, undefined, now))
    const to = q.to ?? now.toISOString().slice(0, 10)
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10)
    const range = checkedRange({ from, to }, now, reply)
    if (!range) return reply
    return readBacktest(ctx.store.client, range)
  })
}
