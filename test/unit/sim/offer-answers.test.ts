// Simulated answers to offers: seeded, at most one offer taken per decision, the offers
// before it declined, and over many offers the share accepted near the assumed rate.
import { describe, expect, it } from 'vitest'
import type { Offer } from '../../../server/contracts/decision.js'
import { answerOffers, ASSUMED_ANSWERS } from '../../../server/sim/offer-answers.js'

const offer = (id: string, resolution: Offer['resolution']): Offer => ({
  offerId: id, resolution, summary: resolution, incentive: 10, expectedValue: 5, expiresAt: '2026-01-03T00:00:00Z',
})

describe('simulated offer answers', () => {
  it('take at most one offer, decline the ones before it, and repeat with the seed', () => {
    let accepted = 0
    let offers = 0
    for (let i = 0; i < 4000; i++) {
      const list = [offer(`d${i}@a`, 'store_credit'), offer(`d${i}@b`, 'partial_refund')]
      const answers = answerOffers('refund', list)
      expect(answers).toEqual(answerOffers('refund', list))
      expect(answers.filter((a) => a.accepted).length).toBeLessThanOrEqual(1)
      answers.slice(0, -1).forEach((a) => expect(a.accepted).toBe(false))
      offers += answers.length
      accepted += answers.filter((a) => a.accepted).length
    }
    expect(accepted / offers).toBeGreaterThan(ASSUMED_ANSWERS.otherwise - 0.03)
    expect(accepted / offers).toBeLessThan(ASSUMED_ANSWERS.otherwise + 0.03)
  })

  it('use the rate given for an offer type', () => {
    const list = Array.from({ length: 500 }, (_, i) => offer(`x${i}@k`, 'keep_it'))
    const never = { ...ASSUMED_ANSWERS, rates: { 'refund:keep_it': 0 } }
    const always = { ...ASSUMED_ANSWERS, rates: { 'refund:keep_it': 1 } }
    expect(list.every((o) => !answerOffers('refund', [o], never)[0].accepted)).toBe(true)
    expect(list.every((o) => answerOffers('refund', [o], always)[0].accepted)).toBe(true)
  })
})
