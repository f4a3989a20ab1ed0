// Offers, not overrides (issue 15 item 2): a better plan is offered, never imposed; an
// acceptance re-decides the line (trigger offer_accepted) with the incentive paid; answers
// are taken once, not after expiry, and teach the acceptance rate that enters the offer's
// expected value (the incentive paid only on acceptance); an offer type worth nothing
// (a rate of 0) is made on the exploration share only, which keeps the rate being learned.
import { describe, expect, it } from 'vitest'
import { Decision } from '../../../server/contracts/decision.js'
import type { ReturnOfferAnswered } from '../../../server/contracts/events.js'
import { Navigator } from '../../../server/navigator/engine.js'
import { explorationDraw } from '../../../server/navigator/offers.js'
import { T0, network, node, request, sequentialIds, weightsVersion } from './fixtures.js'

const W = weightsVersion()
const net = network({
  nodes: [node('R', 1, ['inspect', 'repair', 'liquidate'], { kind: 'repair_centre', central: true, repairBenchHoursPerDay: 8, repairProductTypes: ['phone'] })],
  catalog: [{ sku: 'PH-1', name: 'Phone', category: 'electronics', productType: 'phone', price: 3000, cost: 1800, weightKg: 0.5, repairable: true, lifecycle: 'current' }],
})

/** A defective phone, refund asked, delivered 10 days ago: 三包 owes exchange or repair, not the refund. */
function day10Refund() {
  const r = request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }])
  return { ...r, deliveredAt: new Date(T0.getTime() - 10 * 86_400_000).toISOString() }
}
const answer = (d: Decision, offerId: string, accepted: boolean, n = 0): ReturnOfferAnswered => ({
  eventId: `ans-${offerId}-${n}`, type: 'return.offer_answered', occurredAt: T0.toISOString(), rmaId: d.rmaId, lineIndex: d.lineIndex, offerId, accepted,
})

function navigator() {
  const ids = sequentialIds()
  return new Navigator(net, ids.newId, ids.newToken)
}

describe('offers', () => {
  it('an accepted offer re-decides the line to the offered resolution, incentive paid; a second answer changes nothing', () => {
    const nav = navigator()
    const [d] = nav.decideRequest(day10Refund(), T0, W)
    expect(d.resolution).toBe('refund')
    const offer = d.offers!.find((o) => o.resolution === 'repair')!
    expect(offer).toBeDefined()
    expect(nav.findOffer(d.rmaId, d.trackingToken, offer.offerId)).toEqual({ rmaId: d.rmaId, lineIndex: 0 })
    expect(nav.findOffer(d.rmaId, 'another-token', offer.offerId)).toBeNull()
    const later = new Date(T0.getTime() + 3_600_000)
    const [r] = nav.applyEvent(answer(d, offer.offerId, true), later, W)
    expect(Decision.safeParse(r).success).toBe(true)
    expect(r).toMatchObject({ trigger: 'offer_accepted', resolution: 'repair', supersedes: d.decisionId, trackingToken: d.trackingToken, wish: 'refund', wishHonoured: false, offers: [] })
    expect(r.totals.netCost).toBeCloseTo(283 + offer.incentive, 2) // the repair path (behaviours.test.ts) plus the incentive
    expect(r.reservations?.bench?.hours).toBe(1)
    expect(nav.applyEvent(answer(d, offer.offerId, true, 1), later, W)).toEqual([])
    expect(nav.applyEvent(answer(d, offer.offerId, false, 2), later, W)).toEqual([])
    expect(nav.offerAnswerProblem(d.rmaId, 0, offer.offerId, later)).toBe('answered')
    expect(nav.tokenSupersededOffer(d.rmaId, d.trackingToken, offer.offerId)).toBe(true)
  })

  it('a declined offer leaves the decision; an answer after expiry or for an unknown offer is ignored', () => {
    const nav = navigator()
    const [d] = nav.decideRequest(day10Refund(), T0, W)
    const offer = d.offers![0]
    expect(nav.applyEvent(answer(d, offer.offerId, false), T0, W)).toEqual([])
    expect(nav.openDecisions(d.rmaId)[0].decisionId).toBe(d.decisionId)
    expect(nav.offerAnswerProblem(d.rmaId, 0, offer.offerId, T0)).toBe('answered')

    const [e] = nav.decideRequest(day10Refund(), T0, W)
    const late = new Date(Date.parse(e.offers![0].expiresAt) + 1)
    expect(nav.offerAnswerProblem(e.rmaId, 0, e.offers![0].offerId, late)).toBe('expired')
    expect(nav.applyEvent(answer(e, e.offers![0].offerId, true), late, W)).toEqual([])
    expect(nav.applyEvent(answer(e, `${e.decisionId}@refund:keep_it`, true), T0, W)).toEqual([])
    expect(nav.openDecisions(e.rmaId)[0].resolution).toBe('refund')
  })

  it('declines teach the acceptance rate, but an offer whose acceptance keeps part of the saving is still made: EV = rate × (saving − incentive)', () => {
    const nav = navigator()
    const values: number[] = []
    for (let i = 0; i < 200; i++) {
      const [d] = nav.decideRequest(day10Refund(), T0, W)
      const repair = d.offers!.find((o) => o.resolution === 'repair')
      // The incentive is paid only on acceptance: a declined offer costs nothing, so no rate above 0 withdraws it.
      expect(repair).toBeDefined()
      const rate = nav.state.offerAcceptance('refund:repair', 0.3, 20)
      expect(rate).toBeCloseTo(6 / (20 + i), 9)
      const saving = repair!.incentive / 0.25
      expect(repair!.expectedValue).toBeCloseTo(rate * (saving - repair!.incentive), 1)
      values.push(repair!.expectedValue)
      nav.applyEvent(answer(d, repair!.offerId, false), T0, W)
    }
    // Each decline lowers the rate and the value shown, never to zero.
    expect(values[199]).toBeLessThan(values[0] / 5)
    expect(values[199]).toBeGreaterThan(0)
  })

  it('with a prior of 0 an offer is made on the exploration share only, until accepted answers raise the rate', () => {
    const zero = { ...W, policy: { ...W.policy, offerAcceptancePrior: 0 } }
    const nav = navigator()
    const offered: boolean[] = []
    const explores: boolean[] = []
    for (let i = 0; i < 100; i++) {
      const [d] = nav.decideRequest(day10Refund(), T0, zero)
      const repair = d.offers!.find((o) => o.resolution === 'repair')
      offered.push(repair !== undefined)
      explores.push(explorationDraw({ rmaId: d.rmaId, lineIndex: 0 }, 'refund:repair') < 0.1)
      if (repair) expect(repair.expectedValue).toBe(0)
      if (repair) nav.applyEvent(answer(d, repair.offerId, false), T0, zero)
    }
    // Only the lines drawn for exploration (about one in ten), but never none.
    expect(offered).toEqual(explores)
    expect(offered.filter(Boolean).length).toBeGreaterThanOrEqual(4)
    expect(offered.filter(Boolean).length).toBeLessThanOrEqual(20)
    // One acceptance of an exploration offer: the rate is above 0 and the offer is made on every line.
    let accepted = false
    for (let i = 0; i < 100 && !accepted; i++) {
      const [d] = nav.decideRequest(day10Refund(), T0, zero)
      const repair = d.offers!.find((o) => o.resolution === 'repair')
      if (repair) { nav.applyEvent(answer(d, repair.offerId, true), T0, zero); accepted = true }
    }
    expect(accepted).toBe(true)
    expect(nav.state.offerAcceptance('refund:repair', 0, 20)).toBeGreaterThan(0)
    for (let i = 0; i < 20; i++) {
      const [d] = nav.decideRequest(day10Refund(), T0, zero)
      expect(d.offers!.find((o) => o.resolution === 'repair')?.expectedValue).toBeGreaterThan(0)
    }
  })

  it('with a prior of 0 and exploration off, an offer is never made', () => {
    const off = { ...W, policy: { ...W.policy, offerAcceptancePrior: 0, offerExplorationShare: 0 } }
    const nav = navigator()
    for (let i = 0; i < 60; i++) {
      const [d] = nav.decideRequest(day10Refund(), T0, off)
      expect(d.offers!.find((o) => o.resolution === 'repair')).toBeUndefined()
    }
  })

  it('an entitled wish is decided as asked; the cheaper plan is only offered, and declining it keeps the right', () => {
    const nav = navigator()
    const [d] = nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }]), T0, W)
    expect(d.entitlement?.allowed).toContain('refund')
    expect(d).toMatchObject({ resolution: 'refund', wishHonoured: true })
    const repair = d.offers!.find((o) => o.resolution === 'repair')!
    expect(repair.incentive).toBeGreaterThan(0)
    expect(nav.applyEvent(answer(d, repair.offerId, false), T0, W)).toEqual([])
    expect(nav.openDecisions(d.rmaId)[0]).toMatchObject({ decisionId: d.decisionId, resolution: 'refund' })
    // Accepted, the line is repaired: the customer's express choice, not an override.
    const [e] = nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }]), T0, W)
    const [r] = nav.applyEvent(answer(e, e.offers!.find((o) => o.resolution === 'repair')!.offerId, true), T0, W)
    expect(r).toMatchObject({ trigger: 'offer_accepted', resolution: 'repair', wishHonoured: false, entitlement: { basis: 'cn_sanbao_7d' } })
  })

  it('with offersToEntitled off, an entitled wish is never the subject of an offer', () => {
    const strict = { ...W, policy: { ...W.policy, offersToEntitled: false } }
    const nav = navigator()
    const [d] = nav.decideRequest(request([{ sku: 'PH-1', unitPrice: 3000, reason: 'defective', condition: 'defective', wants: 'refund' }]), T0, strict)
    expect(d.entitlement?.allowed).toContain('refund')
    expect(d.offers).toEqual([])
  })

})
