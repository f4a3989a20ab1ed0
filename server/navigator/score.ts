// Money-equivalent score with fixed scales (DECISION-MODEL.md "Score"):
//   score = λ_cost·net_cost + λ_wait·wait_h + λ_co2·co2_kg + λ_cx·[r ≠ wish] + λ_risk·risk·exposure
// Never normalised over the candidate set, so an irrelevant candidate cannot flip the
// ranking. Ties break on a stable key built from the path, never on enumeration order.
import type { Weights } from '../contracts/weights.js'
import type { Candidate } from './candidate.js'
import type { Network } from './network.js'

export function scoreOf(c: Candidate, w: Weights): number {
  return w.cost * c.netCost + w.wait * c.waitHours + w.co2 * c.co2Kg + w.cx * c.mismatch + w.risk * c.riskExposure + c.capacity
}

/** The score without the capacity term: what the plan itself costs (benchmarks compare this). */
export function ownScoreOf(c: Candidate, w: Weights): number {
  return scoreOf(c, w) - c.capacity
}

/** The factor a weight multiplies. */
export function factorOf(c: Candidate, weight: keyof Weights): number {
  switch (weight) {
    case 'cost': return c.netCost
    case 'wait': return c.waitHours
    case 'co2': return c.co2Kg
    case 'cx': return c.mismatch
    case 'risk': return c.riskExposure
  }
}

/** Stable identity of a path: resolution, mode, nodes by id, swap, disposition, refund timing / advance exchange. */
export function pathKey(c: Candidate, network: Network): string {
  const node = (i: number) => (i < 0 ? '-' : network.nodes[i].id)
  return `${c.resolution}|${c.inboundMode}|${node(c.receivingNode)}|${node(c.exchangeSource)}|${c.swapAtDoor ? 1 : 0}|${c.disposition}|${timingKey(c)}`
}

/** Refund timing or advance exchange as part of a path's identity ('-' when neither applies). */
export function timingKey(c: { refundTiming?: string | null; advanceExchange?: boolean }): string {
  return c.refundTiming ?? (c.advanceExchange ? 'advance' : '-')
}

/** True when (a, sa) ranks before (b, sb): lower score, then the smaller key. */
export function ranksBefore(a: Candidate, sa: number, b: Candidate, sb: number, network: Network): boolean {
  if (sa !== sb) return sa < sb
  return pathKey(a, network) < pathKey(b, network)
}

export interface Ranked {
  candidate: Candidate
  score: number
}

/**
 * The best `k` candidates in rank order, in one pass without sorting the whole set
 * (k is 4: the winner and three alternatives).
 */
export function selectTop(candidates: readonly Candidate[], w: Weights, k: number, network: Network): Ranked[] {
  const top: Ranked[] = []
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]
    const s = scoreOf(c, w)
    if (top.length === k && !ranksBefore(c, s, top[k - 1].candidate, top[k - 1].score, network)) continue
    let pos = top.length < k ? top.length : k - 1
    while (pos > 0 && ranksBefore(c, s, top[pos - 1].candidate, top[pos - 1].score, network)) pos--
    if (top.length < k) top.splice(pos, 0, { candidate: c, score: s })
    else { top.pop(); top.splice(pos, 0, { candidate: c, score: s }) }
  }
  return top
}

export function selectBest(candidates: readonly Candidate[], w: Weights, network: Network): Ranked | null {
  let best: Candidate | null = null
  let bestScore = Infinity
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]
    const s = scoreOf(c, w)
    if (best === null || ranksBefore(c, s, best, bestScore, network)) { best = c; bestScore = s }
  }
  return best ? { candidate: best, score: bestScore } : null
}
