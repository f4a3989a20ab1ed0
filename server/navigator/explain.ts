// Explanations: the per-factor money breakdown of a path and the exact weight flip
// points against every candidate of the choice set (DECISION-MODEL.md "Explanations":
// the score is linear in each weight, so each crossing is exact).
import type { Alternative } from '../contracts/decision.js'
import type { WeightName, Weights } from '../contracts/weights.js'
import { WEIGHT_NAMES, WEIGHT_SLIDER_RANGES } from '../contracts/weights.js'
import type { Candidate } from './candidates.js'
import type { Network } from './network.js'
import { factorOf, pathKey, scoreOf } from './score.js'

export const round2 = (x: number) => Math.round(x * 100) / 100
export const round3 = (x: number) => Math.round(x * 1000) / 1000

/** Every term of the score in money; the terms sum to the score. */
export function breakdownOf(c: Candidate, w: Weights): Record<string, number> {
  const p = c.parts
  return {
    logistics: round2(w.cost * (p.inboundLogistics + p.outboundLogistics)),
    handling: round2(w.cost * p.handling),
    repair: round2(w.cost * p.repair),
    refund: round2(w.cost * p.refundOutflow),
    recovery: round2(-w.cost * p.recovery),
    retained: round2(-w.cost * p.retainedRevenue),
    wait: round2(w.wait * c.waitHours),
    co2: round2(w.co2 * c.co2Kg),
    cx: round2(w.cx * c.mismatch),
    risk: round2(w.risk * c.riskExposure),
    capacity: round2(c.capacity),
  }
}

export function totalsOf(c: Candidate, w: Weights) {
  return {
    netCost: round2(c.netCost),
    recovery: round2(c.parts.recovery),
    waitHours: round2(c.waitHours),
    co2Kg: round3(c.co2Kg),
    score: round2(scoreOf(c, w)),
  }
}

export interface FlipPoint {
  weight: string
  current: number
  flipsAt: number
  direction: 'above' | 'below'
  to: PathFields
}

export interface PathFields {
  resolution: Candidate['resolution']
  inboundMode: Candidate['inboundMode']
  receivingNodeId: string | null
  exchangeSourceNodeId: string | null
  disposition: Candidate['disposition']
  swapAtDoor?: boolean
  refundTiming?: NonNullable<Candidate['refundTiming']>
  advanceExchange?: boolean
}

/**
 * The path's fields; the optional ones only where they apply. Added one by one rather
 * than spread in: this runs for the winner, every alternative and every flip point, and a
 * spread of objects of several shapes is copied key by key by the runtime.
 */
export function pathFieldsOf(c: Candidate, network: Network): PathFields {
  const p: PathFields = {
    resolution: c.resolution,
    inboundMode: c.inboundMode,
    receivingNodeId: nodeIdAt(network, c.receivingNode),
    exchangeSourceNodeId: nodeIdAt(network, c.exchangeSource),
    disposition: c.disposition,
  }
  if (c.swapAtDoor) p.swapAtDoor = true
  if (c.refundTiming) p.refundTiming = c.refundTiming
  if (c.resolution === 'exchange' && !c.swapAtDoor) p.advanceExchange = c.advanceExchange
  return p
}

/** An alternative as a decision lists it: its path, then its totals and breakdown (the keys in that order). */
export function alternativeOf(c: Candidate, w: Weights, network: Network): Alternative {
  const a = pathFieldsOf(c, network) as Alternative
  a.totals = totalsOf(c, w)
  a.breakdown = breakdownOf(c, w)
  return a
}

// Not a closure inside pathFieldsOf: that runs for every alternative and flip point.
function nodeIdAt(network: Network, i: number): string | null {
  return i < 0 ? null : network.nodes[i].id
}

/** Crossings closer than this (relative) are the same point: several paths overtake together. */
const SAME_POINT = 1e-9

/**
 * For each weight and each direction, the nearest value inside the slider's range at
 * which ANY candidate of the choice set overtakes the winner (all other weights
 * unchanged), and the path that wins just beyond it. With S the scores at the current
 * weights and f the weight's factor, candidate c overtakes winner a at
 *   w' = w + (S_c − S_a) / (f_a − f_c)
 * (above the current value when f_c < f_a, below it when f_c > f_a). The nearest crossing
 * in a direction is the first change of winner there: before it every candidate still
 * scores above the winner. Just beyond it the winner is, among the paths crossing there,
 * the one with the smallest factor (above) or largest (below), ties by path key — the
 * same order selectTop uses. Nearest first by relative change.
 */
export function flipPointsOf(
  winner: Candidate, candidates: readonly Candidate[], w: Weights, network: Network,
  ranges: Readonly<Record<WeightName, { min: number; max: number }>> = WEIGHT_SLIDER_RANGES,
): FlipPoint[] {
  // Scores once; path keys only for the few candidates that tie at a crossing (hot path).
  const n = candidates.length
  const scores = new Float64Array(n)
  for (let i = 0; i < n; i++) scores[i] = scoreOf(candidates[i], w)
  const out: FlipPoint[] = []
  for (const name of WEIGHT_NAMES) {
    const fa = factorOf(winner, name)
    const current = w[name]
    const { min, max } = ranges[name]
    // The score without this weight's term: S(w') = rest + w'·f, so the crossing
    // (rest_c − rest_a) / (f_a − f_c) keeps its precision near 0.
    const restA = scoreOf(winner, w) - current * fa
    for (const dir of ['above', 'below'] as const) {
      let best = dir === 'above' ? Infinity : -Infinity
      for (let i = 0; i < n; i++) {
        const c = candidates[i]
        if (c === winner) continue
        const fc = factorOf(c, name)
        const slope = fc - fa
        if (!Number.isFinite(slope) || (dir === 'above' ? !(slope < 0) : !(slope > 0))) continue
        const t = crossing(scores[i], current, fc, restA, slope, dir)
        if (dir === 'above' ? t < best : t > best) best = t
      }
      const tol = SAME_POINT * Math.max(1, Math.abs(best))
      if (!Number.isFinite(best) || (dir === 'above' ? !(best < max - tol) : !(best > min + tol)) || best < min || best > max) continue
      // Just beyond the point the winner is, among the paths crossing there, the one with
      // the smallest factor (above) or largest (below); ties by path key, as selectTop ranks.
      let to: Candidate | null = null
      let toF = 0
      let toKey = ''
      for (let i = 0; i < n; i++) {
        const c = candidates[i]
        if (c === winner) continue
        const fc = factorOf(c, name)
        const slope = fc - fa
        if (!Number.isFinite(slope) || (dir === 'above' ? !(slope < 0) : !(slope > 0))) continue
        if (Math.abs(crossing(scores[i], current, fc, restA, slope, dir) - best) > tol) continue
        if (to === null || (dir === 'above' ? fc < toF : fc > toF)) { to = c; toF = fc; toKey = ''; continue }
        if (fc === toF) {
          if (toKey === '') toKey = pathKey(to, network)
          const key = pathKey(c, network)
          if (key < toKey) { to = c; toKey = key }
        }
      }
      out.push({ weight: name, current, flipsAt: best, direction: dir, to: pathFieldsOf(to!, network) })
    }
  }
  const rel = (f: FlipPoint) => Math.abs(f.flipsAt - f.current) / Math.max(Math.abs(f.current), 1e-9)
  return out.sort((a, b) => rel(a) - rel(b) || (a.weight < b.weight ? -1 : a.weight > b.weight ? 1 : a.direction < b.direction ? -1 : 1))
}

/** Where a candidate with score `sc` and factor `fc` overtakes the winner; a tie the winner holds on its key flips at once. */
function crossing(sc: number, current: number, fc: number, restA: number, slope: number, dir: 'above' | 'below'): number {
  const t0 = (sc - current * fc - restA) / -slope
  return dir === 'above' ? Math.max(current, t0) : Math.min(current, t0)
}
