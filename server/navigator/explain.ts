// Explanations: the per-factor money breakdown of a path and the exact weight flip
// points against the runner-up. The score is linear in the weights, so with
// D = S_a − S_b (≤ 0 for the winner a) and Δ_i = f_a,i − f_b,i, the decision flips
// when w_i reaches w_i − D/Δ_i (DECISION-MODEL.md "Explanations").
import type { Weights } from '../contracts/weights.js'
import { WEIGHT_NAMES } from '../contracts/weights.js'
import type { Candidate } from './candidates.js'
import { factorOf, scoreOf } from './score.js'

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
}

/**
 * For each weight, the value at which the runner-up would score equal to the winner
 * (all other weights unchanged). Only reachable points (≥ 0) are listed, nearest first
 * by relative change.
 */
export function flipPointsOf(winner: Candidate, runnerUp: Candidate, w: Weights): FlipPoint[] {
  const D = scoreOf(winner, w) - scoreOf(runnerUp, w)
  const out: FlipPoint[] = []
  for (const name of WEIGHT_NAMES) {
    const delta = factorOf(winner, name) - factorOf(runnerUp, name)
    if (delta === 0 || !Number.isFinite(delta)) continue
    const flipsAt = w[name] - D / delta
    if (!(flipsAt >= 0) || !Number.isFinite(flipsAt)) continue
    out.push({ weight: name, current: w[name], flipsAt, direction: delta > 0 ? 'above' : 'below' })
  }
  const rel = (f: FlipPoint) => Math.abs(f.flipsAt - f.current) / Math.max(Math.abs(f.current), 1e-9)
  return out.sort((a, b) => rel(a) - rel(b) || (a.weight < b.weight ? -1 : 1))
}
