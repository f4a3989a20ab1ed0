// bid-prices: every 15 minutes (and after a capacity change) forecast the returns of the
// horizon from recent history, solve the capacity LP with HiGHS and publish its duals as
// bid prices to the navigator and the bid_prices table. A solve that fails or runs out
// of time throws: the run is marked failed and the prices in force stay. Each solve also
// records the capacity-efficiency KPI (capacity-efficiency.ts) in bid_price_solves.
import { randomUUID } from 'node:crypto'
import type { ReturnRequested } from '../server/contracts/events.js'
import type { WeightsVersion } from '../server/contracts/weights.js'
import { publishBidPrices } from '../server/navigator/bid-prices.js'
import { buildCapacityLp, fallbacksUsed, lineOptions, ownObjective, type LpClass } from '../server/navigator/capacity-lp.js'
import { parseResourceKey } from '../server/navigator/capacity.js'
import type { Navigator } from '../server/navigator/engine.js'
import { efficiencyOf, greedyReplay, hindsightBatch } from '../server/navigator/capacity-efficiency.js'
import { insertBidPrices, insertSolve } from '../server/store/bid-price-repo.js'
import { recentReturnRequests } from '../server/store/returns-repo.js'
import { solveLp } from './highs-solver.js'
import { solveBidPrices } from './price-capacity.js'
import type { PipelineJob } from './job.js'

export const BID_PRICES_JOB = 'bid-prices'
export const BID_PRICE_HORIZON_DAYS = 14
/** Recent returns the forecast is drawn from: their mix, at their daily rate. */
export const BID_PRICE_HISTORY = 150
const TIME_LIMIT_S = 10
const DAY_MS = 86_400_000

export interface BidPriceSource {
  navigator: () => Navigator
  weights: () => WeightsVersion
}

/**
 * The forecast: each recent line is a class arriving (lines / days of history) / lines
 * times a day, i.e. the recent mix at the recent daily rate, on every day of the horizon.
 */
export function forecastClasses(requests: readonly ReturnRequested[], nav: Navigator, weights: WeightsVersion, nowMs: number): LpClass[] {
  if (!requests.length) return []
  const times = requests.map((r) => Date.parse(r.occurredAt))
  const spanDays = Math.max(1, (Math.max(...times) - Math.min(...times)) / DAY_MS)
  const lines = requests.reduce((a, r) => a + r.lines.length, 0)
  const perLine = lines / spanDays / lines
  const out: LpClass[] = []
  for (const request of requests) {
    for (let i = 0; i < request.lines.length; i++) {
      const options = lineOptions({ request, lineIndex: i }, nav.state, nav.network, weights, nowMs, 6)
      if (options.length) out.push({ options, count: perLine })
    }
  }
  return out
}

export function bidPricesJob(source: BidPriceSource): PipelineJob {
  return {
    name: BID_PRICES_JOB,
    schedule: '0 */15 * * * *',
    feedsKpis: false,
    async run({ client, asOf }) {
      const nav = source.navigator()
      const weights = source.weights()
      const requests = await recentReturnRequests(client, BID_PRICE_HISTORY)
      const classes = forecastClasses(requests, nav, weights, asOf.getTime())
      // Nothing to forecast from (a new store): no return competes for anything, so no prices.
      if (!classes.length) {
        publishBidPrices(nav.state, new Map())
        return { rows: 0 }
      }
      const { status, prices, model, solveMs, solveCpuMs } = await solveBidPrices(classes, nav.state, BID_PRICE_HORIZON_DAYS, TIME_LIMIT_S)
      if (status !== 'Optimal') throw new Error(`capacity LP not solved: ${status}`)
      publishBidPrices(nav.state, prices)
      const runId = randomUUID()
      await insertBidPrices(client, asOf, runId, [...prices].map(([key, price]) => ({ ...parseResourceKey(key), price })))

      // The KPI: the same recent returns in hindsight against their actual decisions.
      const hindsight = hindsightBatch(requests, nav.state, nav.network, weights)
      let bound = Number.NaN
      let hindsightWishesLost: number | null = null
      if (hindsight.lines) {
        const lp = buildCapacityLp(hindsight.classes, hindsight.state, { days: 1 })
        const sol = await solveLp(lp.lp, TIME_LIMIT_S)
        if (sol.status === 'Optimal') {
          bound = ownObjective(lp, hindsight.classes, sol.colValue)
          hindsightWishesLost = fallbacksUsed(lp, hindsight.classes, sol.colValue)
        }
      }
      const greedy = hindsight.lines ? greedyReplay(hindsight, nav.network, weights) : null
      await insertSolve(client, {
        solvedAt: asOf, runId, columns: model.columns.length, rows: model.rowResource.size, solveMs, solveCpuMs, prices: prices.size,
        lines: hindsight.lines, bound: Number.isFinite(bound) ? bound : 0, realised: hindsight.realised, efficiency: efficiencyOf(bound, hindsight.realised),
        wishesLost: hindsight.wishesLost, hindsightWishesLost,
        greedyScore: greedy?.score ?? null, greedyWishesLost: greedy?.wishesLost ?? null,
      })
      return { rows: prices.size }
    },
  }
}
