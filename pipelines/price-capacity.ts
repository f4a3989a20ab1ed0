// Bid prices from the capacity LP in two stages. The navigator's wish rule is
// lexicographic (honour the wish whenever a plan can), so the LP first counts the fewest
// wishes the capacity forces it to turn away (fall-backs at a big-M penalty), then, with
// no more fall-backs than that, minimises the score alone: the second stage's duals are
// prices in money, where the first stage's would be in units of the penalty.
// Both stages are one model built once: the second takes the penalty off the fall-backs'
// costs and caps them. It is solved from scratch: started from the first stage's basis it
// takes a fifth of the simplex iterations, but lands on other duals of the same optimum
// (the LP is degenerate), and the bench's scores moved with them (docs/benchmarks.md).
import { buildCapacityLp, fallbackCapOf, fallbackScores, fallbacksUsed, pricesFromDuals, type LpClass, type LpModel } from '../server/navigator/capacity-lp.js'
import type { NavigatorState } from '../server/navigator/state.js'
import { solveLp } from './highs-solver.js'

export interface PricedSolve {
  status: string
  prices: Map<string, number>
  /** The model (its second stage is what the prices are the duals of). */
  model: LpModel
  /** Both stages with the model's building: wall clock, and CPU time of the process. */
  solveMs: number
  solveCpuMs: number
  fallbacks: number
  /** The second stage's objective (own scores, unserved lines at their slack cost). */
  objective: number
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

export async function solveBidPrices(classes: readonly LpClass[], state: NavigatorState, days: number, timeLimitS: number): Promise<PricedSolve> {
  const t0 = performance.now()
  const c0 = cpuMs()
  const model = buildCapacityLp(classes, state, { days, fallbackRow: true })
  const solved = await (async () => {
    const first = await solveLp(model.lp, timeLimitS)
    if (first.status !== 'Optimal') return { status: first.status, prices: new Map<string, number>(), fallbacks: 0, objective: Number.NaN }
    const fallbacks = fallbacksUsed(model, classes, first.colValue)
    // No fall-back column at all: the first stage had no penalty in it and is the second.
    let second = first
    if (model.fallbackRow >= 0) {
      const colCost = [...model.lp.colCost]
      fallbackScores(model, classes).forEach((cost, k) => { colCost[model.fallbackCols[k]] = cost })
      const rowUpper = [...model.lp.rowUpper]
      rowUpper[model.fallbackRow] = fallbackCapOf(fallbacks)
      second = await solveLp({ ...model.lp, colCost, rowUpper }, timeLimitS)
    }
    return {
      status: second.status, fallbacks, objective: second.objective,
      prices: second.status === 'Optimal' ? pricesFromDuals(model, second.rowDual) : new Map<string, number>(),
    }
  })()
  return { ...solved, model, solveMs: performance.now() - t0, solveCpuMs: cpuMs() - c0 }
}
