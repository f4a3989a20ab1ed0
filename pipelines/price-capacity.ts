// Bid prices from the capacity LP in two stages. The navigator's wish rule is
// lexicographic (honour the wish whenever a plan can), so the LP first counts the fewest
// wishes the capacity forces it to turn away (fall-backs at a big-M penalty), then, with
// no more fall-backs than that, minimises the score alone: the second stage's duals are
// prices in money, where the first stage's would be in units of the penalty.
import { buildCapacityLp, fallbacksUsed, pricesFromDuals, type LpClass, type LpModel } from '../server/navigator/capacity-lp.js'
import type { NavigatorState } from '../server/navigator/state.js'
import { solveLp } from './highs-solver.js'

export interface PricedSolve {
  status: string
  prices: Map<string, number>
  /** The second stage (what the prices are the duals of). */
  model: LpModel
  /** Both stages. */
  solveMs: number
  fallbacks: number
}

export async function solveBidPrices(classes: readonly LpClass[], state: NavigatorState, days: number, timeLimitS: number): Promise<PricedSolve> {
  const t0 = performance.now()
  const first = buildCapacityLp(classes, state, { days })
  const s1 = await solveLp(first.text, timeLimitS)
  if (s1.status !== 'Optimal') return { status: s1.status, prices: new Map(), model: first, solveMs: performance.now() - t0, fallbacks: 0 }
  const fallbacks = fallbacksUsed(first, classes, s1.columns)
  const second = buildCapacityLp(classes, state, { days, fallbackCap: fallbacks + 1e-6 })
  const s2 = await solveLp(second.text, timeLimitS)
  return { status: s2.status, prices: s2.status === 'Optimal' ? pricesFromDuals(second, s2.rows) : new Map(), model: second, solveMs: performance.now() - t0, fallbacks }
}
