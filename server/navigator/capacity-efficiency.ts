// "Capacity efficiency", the KPI of the latest bid-prices solve: how close the navigator's
// actual decisions of recent returns came to the best use of the capacity they shared.
// The reference is the capacity LP over those same returns in hindsight — each line's
// plans as if nothing were booked, its actual plan among them, and the capacity they hold
// now given back — whose optimum's score is the reference. Efficiency =
// bound / realised (scores are costs: lower is better), 1 when the decisions were the best
// the shared capacity allowed. Lines re-decided after inspection are left out (their plan
// was made with a known grade, which the request-time plans of the LP do not have).
// The LP keeps the navigator's wish rule (capacity-lp.ts: fall-backs at a big-M penalty),
// so hindsight may honour more wishes at a higher score than the decisions did; the KPI
// compares scores only and is then capped at 1, which is why each solve also records the
// wishes turned away by the decisions and by hindsight beside it.
// Beside it, the same lines first come first served (greedyReplay): decided again in
// arrival order on the same capacity, without prices, so managers see what the prices
// added over the navigator alone, not only what was left to gain. It is a replay on
// today's network and stock, not the day as it was; the capacity bench measures the
// same comparison on a fixed day (docs/benchmarks.md).
import type { ReturnRequested } from '../contracts/events.js'
import type { WeightsVersion } from '../contracts/weights.js'
import { publishBidPrices } from './bid-prices.js'
import { isMismatch } from './candidates.js'
import { lineOptions, optionKey, optionsOfRoute, type LpClass } from './capacity-lp.js'
import { chooseLine, reservationsOf } from './decide.js'
import type { LineInput } from './line-context.js'
import { ownScoreOf } from './score.js'
import type { Network } from './network.js'
import type { HeldDecision, NavigatorState } from './state.js'

export interface HindsightBatch {
  classes: LpClass[]
  /** The state with these lines' bookings given back: the capacity they competed for. */
  state: NavigatorState
  /** Σ own score (without the capacity term) of their current decisions. */
  realised: number
  lines: number
  /**
   * Lines whose decision took a fall-back plan (one the navigator takes only when no plan
   * for the wish has room): the wishes the decisions turned away, as the LP counts them.
   */
  wishesLost: number
  /** The lines, in the order of `classes`. */
  inputs: LineInput[]
}

/** The route of the plan a decision follows, as lineOptions keys it (capacity-lp.ts optionKey, routeOf). */
export function decisionRoute(d: HeldDecision): string {
  const r = d.reservations
  const queue = d.resolution === 'repair' && r?.bench && r.inspection ? r.bench.day - r.inspection.day : 0
  return `${d.resolution}|${d.inboundMode}|${d.receivingNodeId ?? '-'}|${d.exchangeSourceNodeId ?? '-'}|${d.swapAtDoor ? 1 : 0}|${queue}`
}

export const ownScoreOfDecision = (d: HeldDecision): number => d.totals.score - (d.breakdown.capacity ?? 0)

export function hindsightBatch(requests: readonly ReturnRequested[], live: NavigatorState, network: Network, weights: WeightsVersion, keep = 8): HindsightBatch {
  const state = live.fork()
  const picked: { request: ReturnRequested; lineIndex: number; decision: HeldDecision }[] = []
  for (const request of requests) {
    const open = live.openReturn(request.rmaId)
    if (!open) continue
    for (const [lineIndex, line] of open.lines) {
      const d = line.decision
      if (d.trigger !== undefined && d.trigger !== 'requested') continue
      picked.push({ request, lineIndex, decision: d })
      state.release(d.decisionId)
    }
  }
  let realised = 0
  let wishesLost = 0
  const classes: LpClass[] = []
  for (const { request, lineIndex, decision } of picked) {
    const at = Date.parse(request.occurredAt)
    const options = lineOptions({ request, lineIndex }, state, network, weights, at, keep)
    const route = decisionRoute(decision)
    if (!optionsOfRoute(options, route).length) {
      options.push(...optionsOfRoute(lineOptions({ request, lineIndex }, state, network, weights, at, Infinity), route))
    }
    realised += ownScoreOfDecision(decision)
    if (optionsOfRoute(options, route)[0]?.fallback) wishesLost++
    classes.push({ options, count: 1 })
  }
  return { classes, state, realised, lines: picked.length, wishesLost, inputs: picked.map(({ request, lineIndex }) => ({ request, lineIndex })) }
}

/**
 * The batch's lines decided again first come first served: in arrival order, each the
 * navigator's choice without prices on what the earlier ones left (the lean path, as the
 * what-if preview decides). Σ own score and the wishes it turned away (its plan a
 * fall-back among the line's LP options, or not what was asked for when none is).
 */
export function greedyReplay(batch: HindsightBatch, network: Network, weights: WeightsVersion): { score: number; wishesLost: number } {
  const fork = batch.state.fork()
  publishBidPrices(fork, new Map())
  const order = batch.inputs.map((input, i) => ({ input, i, at: Date.parse(input.request.occurredAt) })).sort((a, b) => a.at - b.at || a.i - b.i)
  let score = 0
  let wishesLost = 0
  for (const { input, i, at } of order) {
    const { ctx, chosen } = chooseLine(input, fork, network, weights, at)
    const held = reservationsOf(chosen, ctx, fork, network)
    if (held) fork.reserve(`greedy:${input.request.rmaId}#${input.lineIndex}`, held)
    score += ownScoreOf(chosen, weights.weights)
    const option = optionsOfRoute(batch.classes[i].options, optionKey(chosen, network))[0]
    if (option ? option.fallback : isMismatch(chosen.resolution, ctx.wants)) wishesLost++
  }
  return { score, wishesLost }
}

/** bound / realised, within [0, 1]; null when there is nothing to compare. */
export function efficiencyOf(bound: number, realised: number): number | null {
  if (!(realised > 0) || !Number.isFinite(bound)) return null
  return Math.max(0, Math.min(1, bound / realised))
}
