// bid-prices: every 15 minutes (and after a capacity change) forecast the returns of the
// horizon from recent history, solve the capacity LP with HiGHS and publish its duals as
// bid prices to the navigator and the bid_prices table. A solve that fails or runs out
// of time throws: the run is marked failed and the prices in force stay.
import { randomUUID } from 'node:crypto'
import type { ReturnRequested } from '../server/contracts/events.js'
import type { WeightsVersion } from '../server/contracts/weights.js'
import { publishBidPrices } from '../server/navigator/bid-prices.js'
import { buildCapacityLp, lineOptions, pricesFromDuals, type LpClass } from '../server/navigator/capacity-lp.js'
import { parseResourceKey } from '../server/navigator/capacity.js'
import type { Navigator } from '../server/navigator/engine.js'
import { toChTime } from '../server/store/query.js'
import { recentReturnRequests } from '../server/store/returns-repo.js'
import { solveLp } from './highs-solver.js'
import type { PipelineJob } from './job.js'

export const BID_PRICES_JOB = 'bid-prices'
const HORIZON_DAYS = 14
/** Recent returns the forecast is drawn from: their mix, at their daily rate. */
const HISTORY = 150
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
      const requests = await recentReturnRequests(client, HISTORY)
      const classes = forecastClasses(requests, nav, source.weights(), asOf.getTime())
      // Nothing to forecast from (a new store): no return competes for anything, so no prices.
      if (!classes.length) {
        publishBidPrices(nav.state, new Map())
        return { rows: 0 }
      }
      const model = buildCapacityLp(classes, nav.state, { days: HORIZON_DAYS })
      const solution = await solveLp(model.text, TIME_LIMIT_S)
      if (solution.status !== 'Optimal') throw new Error(`capacity LP not solved: ${solution.status}`)
      const prices = pricesFromDuals(model, solution.rows)
      publishBidPrices(nav.state, prices)
      const runId = randomUUID()
      const solvedAt = toChTime(asOf.getTime())
      const values = [...prices].map(([key, price]) => ({ solved_at: solvedAt, run_id: runId, ...parseResourceKey(key), price }))
      if (values.length) await client.insert({ table: 'bid_prices', format: 'JSONEachRow', values })
      return { rows: values.length }
    },
  }
}
