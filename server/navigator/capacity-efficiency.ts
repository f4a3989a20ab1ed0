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
// compares scores only and is then capped at 1.
import type { Decision } from '../contracts/decision.js'
import type { ReturnRequested } from '../contracts/events.js'
import type { WeightsVersion } from '../contracts/weights.js'
import { lineOptions, type LpClass } from './capacity-lp.js'
import type { Network } from './network.js'
import type { NavigatorState } from './state.js'

export interface HindsightBatch {
  classes: LpClass[]
  /** The state with these lines' bookings given back: the capacity they competed for. */
  state: NavigatorState
  /** Σ own score (without the capacity term) of their current decisions. */
  realised: number
  lines: number
}

/** The key lineOptions gives the plan a decision follows (capacity-lp.ts optionKey). */
export function decisionPlanKey(d: Decision): string {
  const r = d.reservations
  const queue = d.resolution === 'repair' && r?.bench && r.inspection ? r.bench.day - r.inspection.day : 0
  return `${d.resolution}|${d.inboundMode}|${d.receivingNodeId ?? '-'}|${d.exchangeSourceNodeId ?? '-'}|${d.swapAtDoor ? 1 : 0}|${queue}`
}

export const ownScoreOfDecision = (d: Decision): number => d.totals.score - (d.breakdown.capacity ?? 0)

export function hindsightBatch(requests: readonly ReturnRequested[], live: NavigatorState, network: Network, weights: WeightsVersion, keep = 8): HindsightBatch {
  const state = live.fork()
  const picked: { request: ReturnRequested; lineIndex: number; decision: Decision }[] = []
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
  const classes: LpClass[] = []
  for (const { request, lineIndex, decision } of picked) {
    const at = Date.parse(request.occurredAt)
    const options = lineOptions({ request, lineIndex }, state, network, weights, at, keep)
    const key = decisionPlanKey(decision)
    if (!options.some((o) => o.key === key)) {
      const own = lineOptions({ request, lineIndex }, state, network, weights, at, Infinity).find((o) => o.key === key)
      if (own) options.push(own)
    }
    realised += ownScoreOfDecision(decision)
    classes.push({ options, count: 1 })
  }
  return { classes, state, realised, lines: picked.length }
}

/** bound / realised, within [0, 1]; null when there is nothing to compare. */
export function efficiencyOf(bound: number, realised: number): number | null {
  if (!(realised > 0) || !Number.isFinite(bound)) return null
  return Math.max(0, Math.min(1, bound / realised))
}
