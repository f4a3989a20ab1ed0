// Offers, not overrides (DECISION-MODEL.md "Rights and offers"): the line is decided with
// the customer's wish honoured; a plan that is better for the merchant but gives the
// customer something else is offered, with a share of the saving as an incentive, when
// making the offer is worth it: acceptance rate × (saving − incentive) > 0, the acceptance
// rate learned per offer type from the answers (a Beta prior until answers come in). The
// incentive is paid only on acceptance, so a declined offer costs nothing: counting it in
// full (acceptance × saving − incentive) withdrew offers whose acceptances each kept
// three quarters of their saving (docs/rights.md "Offers"). An offer type whose expected
// value is zero (a merchant who assumes nobody accepts until answers show otherwise:
// prior 0) is still made on a fixed share of the lines it fits (exploration): without it
// no answer could ever show the estimate was wrong.
import type { Offer } from '../contracts/decision.js'
import type { Resolution } from '../contracts/enums.js'
import type { WeightsVersion } from '../contracts/weights.js'
import type { Candidate } from './candidates.js'
import { round2 } from './explain.js'
import type { LineContext } from './line-context.js'
import type { Network } from './network.js'
import { ranksBefore, scoreOf } from './score.js'
import { offerIdOf, type NavigatorState } from './state.js'

export const MAX_OFFERS = 3
/**
 * Defaults when the policy names none (assumptions, docs/rights.md): a quarter of the
 * saving, 30 % acceptance, 48 h to answer, one line in ten still offered an offer type
 * whose expected value is zero or below.
 */
export const OFFER_DEFAULTS = { incentiveShare: 0.25, acceptancePrior: 0.3, priorStrength: 20, expiryHours: 48, explorationShare: 0.1 }

export function offerSettings(weights: WeightsVersion) {
  const p = weights.policy
  return {
    incentiveShare: p.offerIncentiveShare ?? OFFER_DEFAULTS.incentiveShare,
    acceptancePrior: p.offerAcceptancePrior ?? OFFER_DEFAULTS.acceptancePrior,
    priorStrength: p.offerPriorStrength ?? OFFER_DEFAULTS.priorStrength,
    expiryHours: p.offerExpiryHours ?? OFFER_DEFAULTS.expiryHours,
    explorationShare: p.offerExplorationShare ?? OFFER_DEFAULTS.explorationShare,
  }
}

export function pathSummary(c: Candidate, network: Network): string {
  if (c.receivingNode < 0) return c.resolution
  const parts: string[] = [c.resolution, `${c.inboundMode} → ${network.nodes[c.receivingNode].id}`]
  if (c.exchangeSource >= 0 && !c.swapAtDoor) parts.push(`from ${network.nodes[c.exchangeSource].id}`)
  if (c.swapAtDoor) parts.push('swap at the door')
  if (c.advanceExchange) parts.push('shipped before the return arrives')
  if (c.refundTiming) parts.push(`refund at ${c.refundTiming.replace('_', ' ')}`)
  if (c.disposition !== 'none') parts.push(c.disposition)
  return parts.join(' · ')
}

/**
 * Up to three offers: per resolution the best plan of `pool` (plans that differ from the
 * wish) that scores better than the chosen plan and costs less, each worth making.
 */
export function buildOffers(
  decisionId: string, chosen: Candidate, pool: readonly Candidate[], ctx: LineContext, state: NavigatorState,
  network: Network, weights: WeightsVersion, nowMs: number,
): Offer[] {
  if (pool.length === 0) return []
  const w = weights.weights
  const settings = offerSettings(weights)
  const chosenScore = scoreOf(chosen, w)
  const best = new Map<Resolution, { c: Candidate; s: number }>()
  for (const c of pool) {
    const s = scoreOf(c, w)
    if (!(s < chosenScore) || !(c.netCost < chosen.netCost)) continue
    const held = best.get(c.resolution)
    if (!held || ranksBefore(c, s, held.c, held.s, network)) best.set(c.resolution, { c, s })
  }
  const expiresAt = new Date(nowMs + settings.expiryHours * 3_600_000).toISOString()
  const offers: Offer[] = []
  for (const [resolution, { c }] of best) {
    const saving = chosen.netCost - c.netCost
    const incentive = round2(settings.incentiveShare * saving)
    const type = `${ctx.wants}:${resolution}`
    const acceptance = state.offerAcceptance(type, settings.acceptancePrior, settings.priorStrength)
    const expectedValue = acceptance * (saving - incentive)
    if (!(expectedValue > 0) && !(explorationDraw(ctx, type) < settings.explorationShare)) continue
    offers.push({
      offerId: offerIdOf(decisionId, ctx.wants, resolution), resolution, summary: pathSummary(c, network),
      incentive, expectedValue: round2(expectedValue), expiresAt,
    })
  }
  return offers.sort((a, b) => b.expectedValue - a.expectedValue || (a.resolution < b.resolution ? -1 : 1)).slice(0, MAX_OFFERS)
}

/**
 * A number in [0, 1) fixed per line and offer type (FNV-1a of rma, line and type): which
 * lines an exploration offer is made on. Deterministic, so a re-sent request, a replay
 * and the what-if preview make the same offers; not tied to the decision id for that reason.
 */
export function explorationDraw(ctx: Pick<LineContext, 'rmaId' | 'lineIndex'>, type: string): number {
  const key = `${ctx.rmaId}#${ctx.lineIndex}#${type}`
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // One more avalanche round: keys differ mostly in their last characters.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return (h >>> 0) / 4_294_967_296
}
