// GET /api/v1/backtest?from=&to= (viewer): navigator against the baseline over a period
// of decided history (an import with --decide, or live decisions). Default: the last year.
import { z } from 'zod'
import type { RouteModule } from '../context.js'
import { checkedRange, day } from '../date-range.js'
import { parseQuery } from '../validation.js'
import { readBacktest } from '../../store/backtest-read.js'

export const BacktestQuery = z.strictObject({ from: day.optional(), to: day.optional() })

export const backtestRoutes: RouteModule = (app, ctx, guard) => {
  app.get('/api/v1/backtest', guard('viewer'), async (request, reply) => {
    const q = parseQuery(BacktestQuery, request.query, reply)
    if (!q) return reply
    const to = q.to ?? new Date().toISOString().slice(0, 10)
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10)
    const range = checkedRange({ from, to }, new Date(), reply)
    if (!range) return reply
    return readBacktest(ctx.store.client, range)
  })
}
